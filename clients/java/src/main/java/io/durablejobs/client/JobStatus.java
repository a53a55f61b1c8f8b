package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A job's status as the API names it. {@link #UNKNOWN} stands for a status newer than this client. */
public enum JobStatus {
    QUEUED, RUNNING, RETRYING, SUCCEEDED, DEAD_LETTERED, UNKNOWN;

    /** No further change will happen without an operator (a replay). */
    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD_LETTERED;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static JobStatus of(String wire) {
        for (JobStatus s : values()) {
            if (s.wire().equals(wire)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
