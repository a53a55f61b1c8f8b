package io.durablejobs.core.dlq;

import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.metrics.MetricNames;
import io.durablejobs.core.metrics.Metrics;
import io.durablejobs.core.port.JobStanding;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.tracing.TraceSpan;
import io.durablejobs.core.tracing.Tracing;
import io.durablejobs.core.work.IncomingMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The DLQ consumer's work for one message: a durable record first, then the job's status and ledger.
 *
 * <ul>
 *   <li>Every message is recorded, whoever dead-lettered it; one that cannot be read is recorded as it came.
 *   <li>A redelivered copy of a death already recorded is recognised (same death key) and only its index
 *       is rewritten; a job dying again after a replay gets a new record that keeps the old one as lineage.
 *   <li>A job the broker dead-lettered by itself (no worker saw it die) is marked {@code dead_lettered}.
 *   <li>The ledger counts the death once per job and replay generation, going by the stored status, so the
 *       worker's own count and this one cannot both land.
 * </ul>
 *
 * Throws {@link DeadLetterStoreUnavailableException} or {@code StoreUnavailableException} only: the
 * function then fails its batch and the broker keeps every message of it.
 */
public final class DeadLetterRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRecorder.class);

    /** What happened to one message. */
    public enum Recorded { NEW, DUPLICATE }

    private final DeadLetterStore store;
    private final JobStore jobs;
    private final Ledger ledger;
    private final Metrics metrics;
    private final Tracing tracing;
    private final Duration statusTtl;
    private final Clock clock;

    public DeadLetterRecorder(DeadLetterStore store, JobStore jobs, Ledger ledger, Metrics metrics, Tracing tracing, Duration statusTtl,
                              Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.ledger = ledger;
        this.metrics = metrics;
        this.tracing = tracing;
        this.statusTtl = statusTtl;
        this.clock = clock;
    }

    public Recorded record(IncomingMessage message) {
        DeadLetter d = DeadLetterDecoder.decode(message, clock.instant());
        try (TraceSpan span = tracing.start("dlq.record", d.traceparent(), Map.of("jobs.job_id", d.jobId(), "jobs.type", d.type(),
                "jobs.reason", String.valueOf(d.reason()), "jobs.tenant", d.tenant()))) {
            MDC.put("jobId", d.jobId());
            MDC.put("type", d.type());
            MDC.put("tenant", d.tenant());
            MDC.put("attempt", Integer.toString(d.attempts()));
            if (d.traceId() != null) {
                MDC.put("traceId", d.traceId());
            }
            return recordDecoded(d, span);
        } finally {
            MDC.remove("jobId");
            MDC.remove("type");
            MDC.remove("tenant");
            MDC.remove("attempt");
            MDC.remove("traceId");
        }
    }

    private Recorded recordDecoded(DeadLetter decoded, TraceSpan span) {
        // The replay generation lives with the job (headers do not survive retries): it tells this death from an earlier one.
        Optional<JobStanding> standing = decoded.payload() == null ? Optional.empty() : jobs.standing(decoded.jobId());
        DeadLetter d = decoded.inGeneration(standing.map(JobStanding::generation).orElse(decoded.generation()));
        Optional<DeadLetter> existing = store.find(d.tenant(), d.jobId());
        if (existing.isPresent() && d.deathKey().equals(existing.get().deathKey())) {
            // A redelivered copy: the record exists; writing it again heals an index a crash left half-written.
            store.put(existing.get());
            settleJob(d, standing);
            LOG.info("dead letter already recorded jobId={} reason={}", d.jobId(), d.reason());
            return Recorded.DUPLICATE;
        }
        DeadLetter record = existing.map(d::after).orElse(d);
        store.put(record);
        settleJob(d, standing);
        metrics.count(MetricNames.DEAD_LETTERS, 1, Map.of(MetricNames.DIM_TYPE, d.type(), MetricNames.DIM_REASON, String.valueOf(d.reason())));
        LOG.info("dead letter recorded jobId={} type={} tenant={} reason={} origin={} attempts={}", d.jobId(), d.type(), d.tenant(),
                d.reason(), d.origin(), d.attempts());
        span.attribute("jobs.origin", d.origin());
        return Recorded.NEW;
    }

    /** Status and ledger of the job behind a dead letter (none for a message that was not a job). */
    private void settleJob(DeadLetter d, Optional<JobStanding> standing) {
        if (d.payload() == null || d.tenant().isEmpty()) {
            return;
        }
        boolean dead = standing.isPresent() && standing.get().status() == JobStatus.DEAD_LETTERED;
        if (!dead && !"worker".equals(d.origin())) {
            // Nobody marked it: the broker dead-lettered it by itself.
            dead = jobs.markDeadLettered(d.jobId(), d.reason() + ": " + d.error(), statusTtl) == JobStore.Result.APPLIED;
        }
        // A worker's own dead letter may arrive before the worker wrote the status: the worker counts it then.
        if (dead) {
            ledger.finished(d.tenant(), d.type(), d.jobId(), d.generation(), JobStatus.DEAD_LETTERED);
        }
    }
}
