package io.durablejobs.core.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** The job each tick of a schedule submits: validated by the type's own rules when the schedule is created. */
public record JobTemplate(String type, JsonNode payload, int priority) {
    public JobTemplate {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }
}
