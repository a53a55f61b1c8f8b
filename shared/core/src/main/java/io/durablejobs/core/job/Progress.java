package io.durablejobs.core.job;

import java.time.Instant;

/** How far a running job says it is: a percentage, a short message, and when it said so. */
public record Progress(int percent, String message, Instant at) {
    public static final int MAX_MESSAGE = 200;

    public Progress {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress must be 0-100, was " + percent);
        }
        message = message == null ? "" : (message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message);
    }
}
