package io.durablejobs.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What {@code POST /v1/jobs} takes (and each item of a batch). {@code priority} null means the API's
 * default (4); {@code idempotencyKey} null means the client makes one, so its own retries can never make a
 * second job. {@code runAt} or {@code delay} (not both) delay the job, up to the API's maximum (30 days by
 * default); the API refuses a {@code runAt} more than a few seconds in the past. {@code callbackUrl}, when set,
 * is told the job's final outcome (a signed Standard Webhook); the API checks it (https, or plain http where
 * webhooks may reach private networks) and answers a {@code 400} problem on field {@code callbackUrl} otherwise.
 */
public record SubmitRequest(String type, JsonNode payload, Integer priority, String idempotencyKey, Instant runAt, Duration delay,
                            String callbackUrl) {
    public SubmitRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        if (priority != null && (priority < 0 || priority > 9)) {
            throw new IllegalArgumentException("priority must be 0-9");
        }
        if (runAt != null && delay != null) {
            throw new IllegalArgumentException("runAt or delay, not both");
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
    }

    public SubmitRequest(String type, JsonNode payload, Integer priority, String idempotencyKey, Instant runAt, Duration delay) {
        this(type, payload, priority, idempotencyKey, runAt, delay, null);
    }

    public SubmitRequest(String type, JsonNode payload, Integer priority, String idempotencyKey) {
        this(type, payload, priority, idempotencyKey, null, null, null);
    }

    public static SubmitRequest of(String type, JsonNode payload) {
        return new SubmitRequest(type, payload, null, null, null, null, null);
    }

    public SubmitRequest withPriority(int priority) {
        return new SubmitRequest(type, payload, priority, idempotencyKey, runAt, delay, callbackUrl);
    }

    public SubmitRequest withIdempotencyKey(String key) {
        return new SubmitRequest(type, payload, priority, key, runAt, delay, callbackUrl);
    }

    /**
     * This request with a random key when it has none. The client does this itself on every submit; do it
     * yourself to keep the key, so that resubmitting later, after the client's own retries gave up, is safe.
     */
    public SubmitRequest withGeneratedKeyIfAbsent() {
        return idempotencyKey != null ? this : withIdempotencyKey(UUID.randomUUID().toString());
    }

    /** Run no earlier than {@code at} (replaces a delay). */
    public SubmitRequest withRunAt(Instant at) {
        return new SubmitRequest(type, payload, priority, idempotencyKey, at, null, callbackUrl);
    }

    /** Run after {@code d} from when the API accepts it (replaces a runAt). */
    public SubmitRequest withDelay(Duration d) {
        return new SubmitRequest(type, payload, priority, idempotencyKey, null, d, callbackUrl);
    }

    /** Have the job's final outcome called back at {@code url} (null: no callback). */
    public SubmitRequest withCallbackUrl(String url) {
        return new SubmitRequest(type, payload, priority, idempotencyKey, runAt, delay, url);
    }
}
