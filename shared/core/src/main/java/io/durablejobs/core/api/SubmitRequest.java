package io.durablejobs.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * A validated {@code POST /v1/jobs} body. At most one of {@code runAt} and {@code delay} is set: a delayed
 * job, due at {@code runAt}, or {@code delay} after it was accepted. {@code callbackUrl} (or null) is told the
 * job's final outcome.
 */
public record SubmitRequest(String type, JsonNode payload, int priority, Instant runAt, Duration delay, String callbackUrl) {
    public static final int DEFAULT_PRIORITY = 4;

    public SubmitRequest(String type, JsonNode payload, int priority, Instant runAt, Duration delay) {
        this(type, payload, priority, runAt, delay, null);
    }

    public SubmitRequest(String type, JsonNode payload, int priority) {
        this(type, payload, priority, null, null);
    }

    /** When the job is due, for a request accepted at {@code now}; null when it is to run at once. */
    public Instant dueAt(Instant now) {
        if (runAt != null) {
            return runAt.isAfter(now) ? runAt : null; // a runAt just past (within the grace) runs at once
        }
        return delay != null && !delay.isZero() ? now.plus(delay) : null;
    }
}
