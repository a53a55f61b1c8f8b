package io.durablejobs.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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

    /** One claim of a batch: the arguments of {@link #claim}. */
    record ClaimRequest(String tenant, String key, String fingerprint, String proposedJobId, Instant createdAt) {
    }

    /** One response to store, as {@link #complete}. */
    record Completion(String tenant, String key, String owner, int status, String body, String location) {
    }

    /** One lease to end, as {@link #release}. */
    record Release(String tenant, String key, String owner) {
    }

    /** {@link #claim} for several keys at once: one answer per request, in order. */
    default CompletableFuture<List<IdempotencyClaim>> claimAll(List<ClaimRequest> requests,
                                                                                              Duration lease, Duration ttl) {
        return Pipelined.now(() -> requests.stream()
                .map(r -> claim(r.tenant(), r.key(), r.fingerprint(), r.proposedJobId(), r.createdAt(), lease, ttl)).toList());
    }

    /** {@link #complete} for several keys at once. */
    default CompletableFuture<Void> completeAll(List<Completion> completions, Duration ttl) {
        return Pipelined.run(() -> completions.forEach(c -> complete(c.tenant(), c.key(), c.owner(), c.status(), c.body(), c.location(), ttl)));
    }

    /** {@link #release} for several keys at once. */
    default CompletableFuture<Void> releaseAll(List<Release> releases) {
        return Pipelined.run(() -> releases.forEach(r -> release(r.tenant(), r.key(), r.owner())));
    }
}
