package io.durablejobs.core.work;

import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.port.Transition;
import io.durablejobs.core.retry.RetryPolicy;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.type.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivered message to its end: decode, mark running, run the handler, then hand the job on
 * (complete, retry tier, or dead-letter exchange). Every hand-off is published and confirmed before the
 * status moves, so a failure between the two can only repeat work, never lose it.
 *
 * <p>Throws {@link PublishException} (broker) or {@code StoreUnavailableException} (Redis) when it could
 * not hand the job on; the edge then fails the batch so the broker delivers it again.
 */
public final class WorkerService {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);

    private final String queueType;
    private final JobTypeRegistry registry;
    private final JobStore store;
    private final JobPublisher publisher;
    private final JobMessages messages;
    private final Topology topology;
    private final Duration statusTtl;
    private final Clock clock;
    private final DoubleSupplier random;

    /** @param queueType the job type whose queue this worker consumes; other types are dead-lettered */
    public WorkerService(String queueType, JobTypeRegistry registry, JobStore store, JobPublisher publisher,
                         Topology topology, Duration statusTtl, Clock clock, DoubleSupplier random) {
        this.queueType = queueType;
        this.registry = registry;
        this.store = store;
        this.publisher = publisher;
        this.messages = new JobMessages(topology);
        this.topology = topology;
        this.statusTtl = statusTtl;
        this.clock = clock;
        this.random = random;
    }

    /** What happened to one message; for logs, metrics and tests. */
    public enum Disposition { SUCCEEDED, RETRIED, DEAD_LETTERED, SKIPPED }

    public Disposition process(IncomingMessage message, Instant deadline) throws PublishException {
        int attempt = Math.max(1, message.intHeader(JobHeaders.ATTEMPT, 1));
        List<FailureEntry> history = JobMessages.history(message);
        JobEnvelope job;
        try {
            job = JobMessages.decode(message.body());
        } catch (IllegalArgumentException e) {
            publisher.publish(messages.deadLetter(message, null, attempt, DeadLetterReasons.UNDECODABLE, e.getMessage(), history));
            LOG.warn("dead-lettered undecodable message messageId={} queue={}: {}", message.messageId(), message.queue(), e.getMessage());
            return Disposition.DEAD_LETTERED;
        }
        Optional<JobType> type = registry.find(job.type()).filter(t -> t.name().equals(queueType));
        if (type.isEmpty()) {
            String error = "no handler for type " + job.type() + " on the " + queueType + " worker";
            return deadLetter(message, job, attempt, DeadLetterReasons.UNKNOWN_TYPE, error, history);
        }

        JobStore.Result running = store.transition(job.jobId(), Transition.to(JobStatus.RUNNING, attempt), statusTtl);
        if (running == JobStore.Result.REFUSED) {
            // Finished already, or this copy of the attempt was already handed on: acknowledge, do nothing.
            LOG.info("skipped stale or finished job jobId={} type={} attempt={}", job.jobId(), job.type(), attempt);
            return Disposition.SKIPPED;
        }
        if (running == JobStore.Result.MISSING) {
            // The record expired or Redis lost it; the broker's message is the truth, so the job goes on.
            Instant now = clock.instant();
            store.create(new JobRecord(job.jobId(), job.tenant(), job.type(), JobStatus.RUNNING, attempt,
                    job.createdAt(), now, null, null), statusTtl);
        }

        Outcome outcome = run(type.get(), job, attempt, deadline);
        String traceparent = message.header(JobHeaders.TRACEPARENT);
        if (outcome instanceof Outcome.Succeeded s) {
            store.transition(job.jobId(), new Transition(JobStatus.SUCCEEDED, attempt, s.result(), null), statusTtl);
            LOG.info("job succeeded jobId={} type={} attempt={} tenant={}", job.jobId(), job.type(), attempt, job.tenant());
            return Disposition.SUCCEEDED;
        }
        if (outcome instanceof Outcome.Retry r) {
            return retryOrGiveUp(message, job, attempt, r, history, type.get().retryPolicy(), traceparent);
        }
        Outcome.DeadLetter d = (Outcome.DeadLetter) outcome;
        return deadLetter(message, job, attempt, d.reason(), d.error(), withFailure(history, attempt, d.reason(), d.error()));
    }

    private Outcome run(JobType type, JobEnvelope job, int attempt, Instant deadline) {
        JobContext ctx = new JobContext(job.jobId(), job.tenant(), job.type(), job.payload(), attempt, deadline);
        try {
            Outcome o = type.handle(ctx);
            return o != null ? o : Outcome.retry("handler returned no outcome");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.retry("interrupted");
        } catch (Exception | LinkageError | StackOverflowError e) {
            // An unexpected exception is treated as retryable; if it persists the attempts run out.
            LOG.warn("handler threw jobId={} type={} attempt={}: {}", job.jobId(), job.type(), attempt, e.toString());
            return Outcome.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Disposition retryOrGiveUp(IncomingMessage message, JobEnvelope job, int attempt, Outcome.Retry r,
                                      List<FailureEntry> history, RetryPolicy policy, String traceparent) throws PublishException {
        List<FailureEntry> failed = withFailure(history, attempt, "retryable", r.error());
        if (!policy.mayRetryAfter(attempt)) {
            return deadLetter(message, job, attempt, DeadLetterReasons.RETRIES_EXHAUSTED, r.error(), failed);
        }
        Duration wanted = policy.delayAfter(attempt, random);
        if (r.notBefore().compareTo(wanted) > 0) {
            wanted = r.notBefore();
        }
        Duration tier = topology.tiers().tierFor(wanted);
        publisher.publish(messages.retry(job, attempt + 1, tier, failed, traceparent));
        store.transition(job.jobId(), new Transition(JobStatus.RETRYING, attempt, null, r.error()), statusTtl);
        LOG.info("job retrying jobId={} type={} attempt={} tenant={} delay={}", job.jobId(), job.type(), attempt, job.tenant(), tier);
        return Disposition.RETRIED;
    }

    private Disposition deadLetter(IncomingMessage message, JobEnvelope job, int attempt, String reason, String error,
                                   List<FailureEntry> history) throws PublishException {
        publisher.publish(messages.deadLetter(message, job, attempt, reason, error, history));
        String shown = error == null ? reason : reason + ": " + error;
        JobStore.Result r = store.transition(job.jobId(), new Transition(JobStatus.DEAD_LETTERED, attempt, null, shown), statusTtl);
        if (r == JobStore.Result.MISSING) {
            Instant now = clock.instant();
            store.create(new JobRecord(job.jobId(), job.tenant(), job.type(), JobStatus.DEAD_LETTERED, attempt,
                    job.createdAt(), now, null, shown), statusTtl);
        }
        LOG.info("job dead-lettered jobId={} type={} attempt={} tenant={} reason={}", job.jobId(), job.type(), attempt, job.tenant(), reason);
        return Disposition.DEAD_LETTERED;
    }

    private List<FailureEntry> withFailure(List<FailureEntry> history, int attempt, String reason, String error) {
        List<FailureEntry> out = new java.util.ArrayList<>(history);
        out.add(new FailureEntry(attempt, clock.instant(), reason, error));
        return out;
    }
}
