package io.durablejobs.core.work;

import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.port.Claim;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivered message to its end: decode, claim the job's execution lease, run the handler, then
 * hand the job on (complete, retry tier, or dead-letter exchange).
 *
 * <p>Two rules make this safe under at-least-once delivery. Every hand-off is published and confirmed
 * before the status moves, so a failure between the two can repeat work but never lose it. And every
 * write after the run is fenced by the claim's token, so a worker whose lease lapsed cannot record an
 * outcome over a newer holder's: a job's completion is recorded once, however often it is delivered.
 *
 * <p>Throws {@link PublishException} (broker) or {@code StoreUnavailableException} (Redis) when it could
 * not hand the job on; the edge then fails the batch so the broker delivers it again. It never runs a
 * handler without a claim.
 */
public final class WorkerService {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);

    private final String queueType;
    private final JobTypeRegistry registry;
    private final JobStore store;
    private final JobPublisher publisher;
    private final JobMessages messages;
    private final Topology topology;
    private final Settings settings;
    private final Clock clock;
    private final DoubleSupplier random;

    /**
     * @param statusTtl     how long status records live after their last change
     * @param leaseSlack    added to the handler's deadline for the lease: the time the function keeps back
     *                      to hand the job on after the handler returns
     * @param maxDeliveries deliveries of one attempt after which it is poison (dead-letter, delivery_limit)
     */
    public record Settings(Duration statusTtl, Duration leaseSlack, int maxDeliveries) {
    }

    /** @param queueType the job type whose queue this worker consumes; other types are dead-lettered */
    public WorkerService(String queueType, JobTypeRegistry registry, JobStore store, JobPublisher publisher,
                         Topology topology, Settings settings, Clock clock, DoubleSupplier random) {
        this.queueType = queueType;
        this.registry = registry;
        this.store = store;
        this.publisher = publisher;
        this.messages = new JobMessages(topology);
        this.topology = topology;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    /** What happened to one message; for logs, metrics and tests. */
    public enum Disposition { SUCCEEDED, RETRIED, DEFERRED, DEAD_LETTERED, SKIPPED }

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
            return deadLetterUnclaimed(message, job, attempt, DeadLetterReasons.UNKNOWN_TYPE, error, history);
        }
        String traceparent = message.header(JobHeaders.TRACEPARENT);

        Duration lease = Duration.between(clock.instant(), deadline).plus(settings.leaseSlack());
        Claim claim = store.claim(job, attempt, lease, settings.maxDeliveries(), settings.statusTtl());
        if (claim instanceof Claim.Finished || claim instanceof Claim.Stale) {
            LOG.info("skipped {} delivery jobId={} type={} attempt={}", claim instanceof Claim.Finished ? "finished job's" : "stale",
                    job.jobId(), job.type(), attempt);
            return Disposition.SKIPPED;
        }
        if (claim instanceof Claim.Busy busy) {
            // Not run (another worker holds a live lease) and not dropped (that worker may die): come back later.
            Duration tier = topology.tiers().tierFor(Duration.ofMillis(busy.leaseRemainingMillis()));
            publisher.publish(messages.retry(job, attempt, tier, history, traceparent));
            LOG.info("deferred busy job jobId={} type={} attempt={} leaseLeftMs={}", job.jobId(), job.type(), attempt, busy.leaseRemainingMillis());
            return Disposition.DEFERRED;
        }
        if (claim instanceof Claim.Poison poison) {
            String error = "attempt " + attempt + " was delivered " + poison.deliveries() + " times without finishing (it crashes or times out its function)";
            return deadLetterUnclaimed(message, job, attempt, DeadLetterReasons.DELIVERY_LIMIT, error,
                    withFailure(history, attempt, DeadLetterReasons.DELIVERY_LIMIT, error));
        }
        long token = ((Claim.Claimed) claim).token();

        Outcome outcome = run(type.get(), job, attempt, deadline);
        if (outcome instanceof Outcome.Succeeded s) {
            finish(job, token, new Transition(JobStatus.SUCCEEDED, attempt, s.result(), null));
            LOG.info("job succeeded jobId={} type={} attempt={} tenant={}", job.jobId(), job.type(), attempt, job.tenant());
            return Disposition.SUCCEEDED;
        }
        if (outcome instanceof Outcome.Retry r) {
            return retryOrGiveUp(message, job, attempt, token, r, history, type.get().retryPolicy(), traceparent);
        }
        Outcome.DeadLetter d = (Outcome.DeadLetter) outcome;
        List<FailureEntry> failed = withFailure(history, attempt, d.reason(), d.error());
        publisher.publish(messages.deadLetter(message, job, attempt, d.reason(), d.error(), failed));
        finish(job, token, new Transition(JobStatus.DEAD_LETTERED, attempt, null, shown(d.reason(), d.error())));
        LOG.info("job dead-lettered jobId={} type={} attempt={} tenant={} reason={}", job.jobId(), job.type(), attempt, job.tenant(), d.reason());
        return Disposition.DEAD_LETTERED;
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

    private Disposition retryOrGiveUp(IncomingMessage message, JobEnvelope job, int attempt, long token, Outcome.Retry r,
                                      List<FailureEntry> history, RetryPolicy policy, String traceparent) throws PublishException {
        if (!policy.mayRetryAfter(attempt)) {
            List<FailureEntry> failed = withFailure(history, attempt, DeadLetterReasons.RETRIES_EXHAUSTED, r.error());
            publisher.publish(messages.deadLetter(message, job, attempt, DeadLetterReasons.RETRIES_EXHAUSTED, r.error(), failed));
            finish(job, token, new Transition(JobStatus.DEAD_LETTERED, attempt, null, shown(DeadLetterReasons.RETRIES_EXHAUSTED, r.error())));
            LOG.info("job dead-lettered jobId={} type={} attempt={} tenant={} reason={}", job.jobId(), job.type(), attempt, job.tenant(),
                    DeadLetterReasons.RETRIES_EXHAUSTED);
            return Disposition.DEAD_LETTERED;
        }
        Duration wanted = policy.delayAfter(attempt, random);
        if (r.notBefore().compareTo(wanted) > 0) {
            wanted = r.notBefore();
        }
        Duration tier = topology.tiers().tierFor(wanted);
        publisher.publish(messages.retry(job, attempt + 1, tier, withFailure(history, attempt, "retryable", r.error()), traceparent));
        finish(job, token, new Transition(JobStatus.RETRYING, attempt, null, r.error()));
        LOG.info("job retrying jobId={} type={} attempt={} tenant={} delay={}", job.jobId(), job.type(), attempt, job.tenant(), tier);
        return Disposition.RETRIED;
    }

    /** A fenced outcome write. Refused means a newer holder owns the job; its outcome stands. */
    private void finish(JobEnvelope job, long token, Transition t) {
        JobStore.Result r = store.finish(job.jobId(), token, t, settings.statusTtl());
        if (r == JobStore.Result.REFUSED) {
            LOG.warn("fenced out: a newer run owns the job, this outcome is not recorded jobId={} token={} outcome={}",
                    job.jobId(), token, t.to().wire());
        } else if (r == JobStore.Result.MISSING) {
            // Redis lost the record mid-run (a restart without persistence): write what we know.
            Instant now = clock.instant();
            store.create(new JobRecord(job.jobId(), job.tenant(), job.type(), t.to(), t.attempt(), job.createdAt(), now,
                    t.result(), t.error()), settings.statusTtl());
        }
    }

    /** Dead-letters without a claim (unknown type, poison): unfenced, but only forward in the transition table. */
    private Disposition deadLetterUnclaimed(IncomingMessage message, JobEnvelope job, int attempt, String reason, String error,
                                            List<FailureEntry> history) throws PublishException {
        publisher.publish(messages.deadLetter(message, job, attempt, reason, error, history));
        JobStore.Result r = store.transition(job.jobId(), new Transition(JobStatus.DEAD_LETTERED, attempt, null, shown(reason, error)),
                settings.statusTtl());
        if (r == JobStore.Result.MISSING) {
            store.createIfAbsent(new JobRecord(job.jobId(), job.tenant(), job.type(), JobStatus.DEAD_LETTERED, attempt,
                    job.createdAt(), clock.instant(), null, shown(reason, error)), settings.statusTtl());
        }
        LOG.info("job dead-lettered jobId={} type={} attempt={} tenant={} reason={}", job.jobId(), job.type(), attempt, job.tenant(), reason);
        return Disposition.DEAD_LETTERED;
    }

    private static String shown(String reason, String error) {
        return error == null ? reason : reason + ": " + error;
    }

    private List<FailureEntry> withFailure(List<FailureEntry> history, int attempt, String reason, String error) {
        List<FailureEntry> out = new ArrayList<>(history);
        out.add(new FailureEntry(attempt, clock.instant(), reason, error));
        return out;
    }
}
