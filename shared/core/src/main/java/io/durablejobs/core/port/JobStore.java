package io.durablejobs.core.port;

import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** Job status records and execution leases. Every method may throw {@link StoreUnavailableException}. */
public interface JobStore {

    enum Result { APPLIED, REFUSED, MISSING }

    /** Writes a new record; its time to live is renewed on every change. */
    void create(JobRecord record, Duration ttl);

    /**
     * Writes a new record unless one exists (a resubmission of the same job id must not reset a job
     * that is already running or done). Returns whether it wrote.
     */
    boolean createIfAbsent(JobRecord record, Duration ttl);

    /** Removes a record that never became a job (its publish was not confirmed). */
    void delete(String jobId);

    /** {@link #createIfAbsent} for several records at once (each with its own time to live): whether each was written. */
    default CompletableFuture<List<Boolean>> createAllIfAbsent(List<JobRecord> records,
                                                                                              List<Duration> ttls) {
        return Pipelined.now(() -> {
            List<Boolean> out = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                out.add(createIfAbsent(records.get(i), ttls.get(i)));
            }
            return out;
        });
    }

    /** {@link #delete} for several records at once. */
    default CompletableFuture<Void> deleteAll(List<String> jobIds) {
        return Pipelined.run(() -> jobIds.forEach(this::delete));
    }

    /** {@link #find} for several jobs at once, in order. */
    default CompletableFuture<List<Optional<JobRecord>>> findAll(List<String> jobIds) {
        return Pipelined.now(() -> jobIds.stream().map(this::find).toList());
    }

    Optional<JobRecord> find(String jobId);

    /** An unfenced status change (replay of a dead letter, tests); workers use {@link #claim} and {@link #finish}. */
    Result transition(String jobId, Transition transition, Duration ttl);

    /**
     * Takes the execution lease of {@code job} for the run of {@code attempt}, in one atomic step:
     * refuses finished jobs and stale copies, respects a live lease, counts deliveries of this attempt
     * (more than {@code maxDeliveries} makes it poison), and recreates a missing record from the
     * envelope (the broker's message is the truth). Lease time is measured by the store's clock.
     */
    Claim claim(JobEnvelope job, int attempt, Duration lease, int maxDeliveries, Duration ttl);

    /** Records the outcome of a claimed run, only if {@code token} is still the job's current token. */
    Result finish(String jobId, long token, Transition transition, Duration ttl);

    /**
     * Puts a dead-lettered job back to work (a replay): status queued, attempts 0, and its execution record
     * (lease, delivery count, error, result) reset deliberately, so that the claim, which refuses finished
     * jobs, runs it again; the fencing token is kept (it only grows). Its replay generation becomes at least
     * {@code minGeneration} and the lineage ({@code replayOf}, by, at) is stored. Repeating it while the
     * replay is pending (queued, attempts 0, same lineage) returns the same generation; a record that
     * expired is recreated. Returns the generation, or empty when the job is not dead-lettered.
     */
    OptionalInt replay(JobReplay replay, Duration ttl);

    /**
     * Marks a job dead-lettered without a claim, for jobs the broker dead-lettered by itself (quorum
     * {@code delivery_limit}, rejected, expired). APPLIED from queued, running or retrying; REFUSED when the job
     * already finished; MISSING when there is no record.
     */
    Result markDeadLettered(String jobId, String error, Duration ttl);

    /** What a cancellation did. */
    enum Cancellation {
        /** The job is cancelled and will not run (it was scheduled, queued or retrying; or cancelled already). */
        CANCELLED,
        /** The job is running: the request is recorded for its handler to see. */
        REQUESTED,
        /** The job already succeeded or was dead-lettered: nothing changed. */
        FINISHED,
        MISSING
    }

    /**
     * Cancels a job in one atomic step: scheduled, queued or retrying becomes {@code cancelled} (the
     * execution claim then refuses it, so it never runs); a running job is marked as asked to stop, which its
     * handler sees through its context; a finished job is left as it is.
     */
    default Cancellation cancel(String jobId, Duration ttl) {
        throw new UnsupportedOperationException("this job store cannot cancel jobs");
    }

    /** Whether the job's tenant asked it to stop while running (false when there is no record). */
    default boolean cancelRequested(String jobId) {
        return find(jobId).map(JobRecord::cancelRequested).orElse(false);
    }

    /** Records a running job's progress; ignored when the job is not running (it finished meanwhile). */
    default void progress(String jobId, Progress progress) {
    }

    /**
     * Keeps a failed attempt's history for {@code GET /v1/jobs/{id}} and, when it will be retried, when
     * ({@code nextAttemptAt}, null when it will not). Ignored unless {@code attempt} is the stored one.
     */
    default void noteFailures(String jobId, int attempt, List<FailureEntry> history,
                              Instant nextAttemptAt) {
    }

    /** The job's status and replay generation in one read (ledger bookkeeping); empty when there is no record. */
    Optional<JobStanding> standing(String jobId);
}
