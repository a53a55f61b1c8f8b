package io.durablejobs.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Each tenant's jobs by creation time, for {@code GET /v1/jobs}: ids only (the records stay in the job
 * store), newest first. Entries older than the retention are dropped when the tenant's next job is added,
 * so the index lives about as long as the records it points to. Every method may throw
 * {@link StoreUnavailableException}.
 */
public interface JobIndex {

    /** One job of the listing. */
    record Entry(String jobId, Instant createdAt) {
    }

    /** Adds a job (again: harmless) and drops the tenant's entries created more than {@code retention} ago. */
    void add(String tenant, String jobId, Instant createdAt, Duration retention);

    /**
     * Up to {@code limit} of the tenant's jobs created in {@code [createdAfter, createdBefore]}, newest first
     * (ties by job id, descending), strictly after {@code after} in that order (null: from the newest).
     */
    List<Entry> page(String tenant, Entry after, Instant createdAfter, Instant createdBefore, int limit);

    /** {@link #add} for several jobs of one tenant at once. */
    default CompletableFuture<Void> addAll(String tenant, List<Entry> entries, Duration retention) {
        return Pipelined.run(() -> entries.forEach(e -> add(tenant, e.jobId(), e.createdAt(), retention)));
    }

    JobIndex NONE = new JobIndex() {
        @Override
        public void add(String tenant, String jobId, Instant createdAt, Duration retention) {
        }

        @Override
        public List<Entry> page(String tenant, Entry after, Instant createdAfter, Instant createdBefore, int limit) {
            return List.of();
        }
    };
}
