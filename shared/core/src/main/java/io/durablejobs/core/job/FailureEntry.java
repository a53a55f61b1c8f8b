package io.durablejobs.core.job;

import java.time.Instant;

/** One failed attempt, kept in the message's history header and in the dead-letter record. */
public record FailureEntry(int attempt, Instant at, String reason, String error) {
    /** Errors come from downstream systems; keep them short so headers stay small. */
    public static final int MAX_ERROR_CHARS = 500;

    public FailureEntry {
        if (error != null && error.length() > MAX_ERROR_CHARS) {
            error = error.substring(0, MAX_ERROR_CHARS) + "…";
        }
    }
}
