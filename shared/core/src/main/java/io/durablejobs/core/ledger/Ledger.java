package io.durablejobs.core.ledger;

import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.port.Pipelined;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The conservation ledger: per tenant (and per type), how many jobs were accepted, succeeded, were
 * dead-lettered, were cancelled, and are in flight, so that
 * {@code accepted = succeeded + dead_lettered + cancelled + in_flight} can
 * be read at any time. Each change moves two counters at once in one atomic step, and each is counted
 * at most once per job (per replay generation), however often the message behind it is delivered:
 * callers may repeat them freely, which is how a crash between a status write and its count is repaired.
 */
public interface Ledger {

    /** A job was accepted (its publish confirmed): accepted+1, in_flight+1. Once per job. */
    void accepted(String tenant, String type, String jobId);

    /**
     * A job reached {@code outcome} (succeeded, dead_lettered or cancelled) in replay generation {@code generation}:
     * in_flight-1 and the outcome +1. Once per job and generation.
     */
    void finished(String tenant, String type, String jobId, int generation, JobStatus outcome);

    /**
     * {@link #finished}, started without waiting for it: a worker announces the job's outcome meanwhile and waits
     * for both. Fails as {@link #finished} would, through the future.
     */
    default CompletableFuture<Void> finishedAsync(String tenant, String type, String jobId, int generation, JobStatus outcome) {
        return Pipelined.run(() -> finished(tenant, type, jobId, generation, outcome));
    }

    /** A dead-lettered job was replayed into {@code generation}: dead_lettered-1, in_flight+1. Once per generation. */
    void reopened(String tenant, String type, String jobId, int generation);

    LedgerCounts read(String tenant);

    /** One accepted job, for {@link #acceptedAll}. */
    record Acceptance(String tenant, String type, String jobId) {
    }

    /** {@link #accepted} for several jobs at once. */
    default CompletableFuture<Void> acceptedAll(List<Acceptance> jobs) {
        return Pipelined.run(() -> jobs.forEach(j -> accepted(j.tenant(), j.type(), j.jobId())));
    }

    /** Tenants with ledger entries. */
    Set<String> tenants();

    Ledger NONE = new Ledger() {
        @Override
        public void accepted(String tenant, String type, String jobId) {
        }

        @Override
        public void finished(String tenant, String type, String jobId, int generation, JobStatus outcome) {
        }

        @Override
        public void reopened(String tenant, String type, String jobId, int generation) {
        }

        @Override
        public LedgerCounts read(String tenant) {
            return LedgerCounts.ZERO;
        }

        @Override
        public Set<String> tenants() {
            return Set.of();
        }
    };
}
