package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A job's status as the API names it. {@link #UNKNOWN} stands for a status newer than this client. */
public enum JobStatus {
    /** Delayed: waiting for its {@code runAt}. */
    SCHEDULED, QUEUED, RUNNING, RETRYING, SUCCEEDED, DEAD_LETTERED, CANCELLED, UNKNOWN;

    /** No further change will happen without an operator (a replay of a dead letter). */
    public boolean isFinal() {
        return this == SUCCEEDED || this == DEAD_LETTERED || this == CANCELLED;
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
