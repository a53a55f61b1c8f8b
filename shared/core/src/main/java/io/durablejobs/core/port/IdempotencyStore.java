package io.durablejobs.core.port;

import java.time.Duration;
import java.time.Instant;

/**
 * Idempotency records, scoped by tenant. Every method may throw {@link StoreUnavailableException}; the
 * API then answers 503 rather than accept a job without a record.
 */
public interface IdempotencyStore {

    /**
     * Claims {@code key} for a request with {@code fingerprint}. A new key is fixed to
     * {@code proposedJobId}/{@code createdAt}; an in-progress claim whose lease lapsed (its accepter
     * died, or released it) is resumed under its original job id.
     */
    IdempotencyClaim claim(String tenant, String key, String fingerprint, String proposedJobId, Instant createdAt,
                           Duration lease, Duration ttl);

    /** Stores the response to replay; only the current owner's write counts. */
    void complete(String tenant, String key, String owner, int status, String body, String location, Duration ttl);

    /**
     * The job was not accepted: end the lease at once so a retry may proceed, keeping the job id (the broker
     * may still have the unconfirmed message; a retry must not make a second job).
     */
    void release(String tenant, String key, String owner);
}
