package io.durablejobs.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What {@code POST /v1/jobs} takes. {@code priority} null means the API's default (4);
 * {@code idempotencyKey} null means the client makes one, so its own retries can never make a second job.
 */
public record SubmitRequest(String type, JsonNode payload, Integer priority, String idempotencyKey) {
    public SubmitRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (priority != null && (priority < 0 || priority > 9)) {
            throw new IllegalArgumentException("priority must be 0-9");
        }
    }

    public static SubmitRequest of(String type, JsonNode payload) {
        return new SubmitRequest(type, payload, null, null);
    }

    public SubmitRequest withPriority(int priority) {
        return new SubmitRequest(type, payload, priority, idempotencyKey);
    }

    public SubmitRequest withIdempotencyKey(String key) {
        return new SubmitRequest(type, payload, priority, key);
    }
}
