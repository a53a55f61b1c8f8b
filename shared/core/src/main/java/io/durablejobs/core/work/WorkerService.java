package io.durablejobs.core.work;

import io.durablejobs.core.breaker.CallResult;
import io.durablejobs.core.breaker.CircuitBreakers;
import io.durablejobs.core.breaker.Permit;
import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.port.Claim;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.port.StoreUnavailableException;
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
    /** How long a job waits when the job store is unreachable at its claim (rounded up to a retry tier). */
    static final Duration STORE_OUTAGE_WAIT = Duration.ofSeconds(5);

    private final String queueType;
    private final JobTypeRegistry registry;
    private final JobStore store;
    private final JobPublisher publisher;
    private final JobMessages messages;
    private final Topology topology;
    private final Settings settings;
    private final Clock clock;
    private final DoubleSupplier random;
    private final CircuitBreakers breakers;
    private final io.durablejobs.core.metrics.WorkerObserver observer;

    /**
     * @param statusTtl     how long status records live after their last change
     * @param leaseSlack    added to the handler's deadline for the lease: the time the function keeps back
     *                      to hand the job on after the handler returns
     * @param maxDeliveries deliveries of one attempt after which it is poison (dead-letter, delivery_limit)
     * @param maxDeferral   total time a job may wait on an open breaker before it dead-letters (breaker_open)
     * @param minRunTime    a delivery with less time than this before its deadline is deferred, not started
     */
    public record Settings(Duration statusTtl, Duration leaseSlack, int maxDeliveries, Duration maxDeferral, Duration minRunTime) {
        public Settings(Duration statusTtl, Duration leaseSlack, int maxDeliveries) {
            this(statusTtl, leaseSlack, maxDeliveries, Duration.ofHours(1), Duration.ZERO);
        }
    }

    public WorkerService(String queueType, JobTypeRegistry registry, JobStore store, JobPublisher publisher,
                         Topology topology, Settings settings, Clock clock, DoubleSupplier random) {
        this(queueType, registry, store, publisher, topology, settings, clock, random, CircuitBreakers.NONE);
    }

    /** @param queueType the job type whose queue this worker consumes; other types are dead-lettered */
    public WorkerService(String queueType, JobTypeRegistry registry, JobStore store, JobPublisher publisher,
                         Topology topology, Settings settings, Clock clock, DoubleSupplier random, CircuitBreakers breakers) {
        this(queueType, registry, store, publisher, topology, settings, clock, random, breakers,
                io.durablejobs.core.metrics.WorkerObserver.NONE);
    }

    /** @param observer told about each message (log context, spans, metrics, ledger); see JobTelemetry */
    public WorkerService(String queueType, JobTypeRegistry registry, JobStore store, JobPublisher publisher,
                         Topology topology, Settings settings, Clock clock, DoubleSupplier random, CircuitBreakers breakers,
                         io.durablejobs.core.metrics.WorkerObserver observer) {
        this.observer = observer;
        this.queueType = queueType;
        this.breakers = breakers;
        this.registry = registry;
        this.store = store;
        this.publisher = publisher;
        this.messages = new JobMessages(topology);
        this.topology = topology;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    /** The downstream a message's job calls (its breaker and bulkhead), or null; cheap, never throws. */
    public String downstreamOf(IncomingMessage message) {
        try {
            JobEnvelope job = JobMessages.decode(message.body());
            return registry.find(job.type()).map(t -> t.downstream(job.payload())).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** What happened to one message; for logs, metrics and tests. */
    public enum Disposition { SUCCEEDED, RETRIED, DEFERRED, DEAD_LETTERED, SKIPPED }

    public Disposition process(IncomingMessage message, Instant deadline) throws PublishException {
        try (io.durablejobs.core.metrics.WorkerObserver.Scope scope = observer.received(message)) {
            Disposition d = process(message, deadline, scope);
            scope.disposed(d);
            return d;
        }
    }

    private Disposition process(IncomingMessage message, Instant deadline, io.durablejobs.core.metrics.WorkerObserver.Scope scope)
            throws PublishException {
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
        scope.decoded(job, attempt);
        Optional<JobType> type = registry.find(job.type()).filter(t -> t.name().equals(queueType));
        if (type.isEmpty()) {
            String error = "no handler for type " + job.type() + " on the " + queueType + " worker";
            return deadLetterUnclaimed(message, job, attempt, DeadLetterReasons.UNKNOWN_TYPE, error, history);
        }
        String traceparent = message.header(JobHeaders.TRACEPARENT);
        long deferredSoFar = Math.max(0, message.intHeader(JobHeaders.DEFERRED_MS, 0));

        if (Duration.between(clock.instant(), deadline).compareTo(settings.minRunTime()) < 0) {
            // Too little time left in this invocation to run it properly: hand it on untouched.
            Duration tier = topology.tiers().tierFor(Duration.ZERO);
            publisher.publish(messages.deferred(job, attempt, tier, history, traceparent, deferredSoFar));
            LOG.info("deferred job, deadline too near jobId={} type={} attempt={}", job.jobId(), job.type(), attempt);
            return Disposition.DEFERRED;
        }
        String downstream = type.get().downstream(job.payload());
        Permit.Allowed permit = null;
        if (downstream != null) {
            Permit p = breakers.acquire(downstream);
            if (p instanceof Permit.Rejected rejected) {
                return deferForBreaker(message, job, attempt, history, traceparent, deferredSoFar, rejected);
            }
            permit = (Permit.Allowed) p;
        }

        Duration lease = Duration.between(clock.instant(), deadline).plus(settings.leaseSlack());
        Claim claim;
        try {
            claim = store.claim(job, attempt, lease, settings.maxDeliveries(), settings.statusTtl());
        } catch (StoreUnavailableException e) {
            // No claim, so the job must not run. Failing the batch would make the mapping redeliver it at once,
            // again and again, and every redelivery counts toward the quorum queue's x-delivery-limit: a short
            // Redis outage would dead-letter healthy jobs. The broker is up, so hand the job on (confirmed) to a
            // retry tier of about the time a Redis restart or failover takes, same attempt, not counted as
            // breaker waiting. If the broker is down too, the publish fails and so does the batch.
            publisher.publish(messages.deferred(job, attempt, topology.tiers().tierFor(STORE_OUTAGE_WAIT), history, traceparent,
                    deferredSoFar));
            LOG.warn("deferred job, job store unavailable jobId={} type={} attempt={}: {}", job.jobId(), job.type(), attempt, e.getMessage());
            return Disposition.DEFERRED;
        }
        if (claim instanceof Claim.Finished || claim instanceof Claim.Stale) {
            LOG.info("skipped {} delivery jobId={} type={} attempt={}", claim instanceof Claim.Finished ? "finished job's" : "stale",
                    job.jobId(), job.type(), attempt);
            return Disposition.SKIPPED;
        }
        if (claim instanceof Claim.Busy busy) {
            // Not run (another worker holds a live lease) and not dropped (that worker may die): come back later.
            Duration tier = topology.tiers().tierFor(Duration.ofMillis(busy.leaseRemainingMillis()));
            publisher.publish(messages.deferred(job, attempt, tier, history, traceparent, deferredSoFar));
            LOG.info("deferred busy job jobId={} type={} attempt={} leaseLeftMs={}", job.jobId(), job.type(), attempt, busy.leaseRemainingMillis());
            return Disposition.DEFERRED;
        }
        if (claim instanceof Claim.Poison poison) {
            String error = "attempt " + attempt + " was delivered " + poison.deliveries() + " times without finishing (it crashes or times out its function)";
            return deadLetterUnclaimed(message, job, attempt, DeadLetterReasons.DELIVERY_LIMIT, error,
                    withFailure(history, attempt, DeadLetterReasons.DELIVERY_LIMIT, error));
        }
        long token = ((Claim.Claimed) claim).token();
        int generation = ((Claim.Claimed) claim).generation();

        long started = System.nanoTime();
        Outcome outcome = run(type.get(), job, attempt, deadline);
        scope.handled(job, attempt, outcome, Duration.ofNanos(System.nanoTime() - started));
        if (permit != null) {
            // A retryable outcome is the downstream failing; success and permanent errors are it answering.
            breakers.record(permit, new CallResult(outcome instanceof Outcome.Retry, Duration.ofNanos(System.nanoTime() - started)));
        }
        if (outcome instanceof Outcome.Succeeded s) {
            if (finish(job, token, new Transition(JobStatus.SUCCEEDED, attempt, s.result(), null)) == JobStore.Result.APPLIED) {
                scope.finished(JobStatus.SUCCEEDED, generation);
            }
            LOG.info("job succeeded jobId={} type={} attempt={} tenant={}", job.jobId(), job.type(), attempt, job.tenant());
            return Disposition.SUCCEEDED;
        }
        if (outcome instanceof Outcome.Retry r) {
            return retryOrGiveUp(message, job, attempt, token, generation, r, history, type.get().retryPolicy(), traceparent,
                    deferredSoFar, scope);
        }
        Outcome.DeadLetter d = (Outcome.DeadLetter) outcome;
        List<FailureEntry> failed = withFailure(history, attempt, d.reason(), d.error());
        publisher.publish(messages.deadLetter(message, job, attempt, d.reason(), d.error(), failed));
        if (finish(job, token, new Transition(JobStatus.DEAD_LETTERED, attempt, null, shown(d.reason(), d.error()))) == JobStore.Result.APPLIED) {
            scope.finished(JobStatus.DEAD_LETTERED, generation);
        }
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

    private Disposition retryOrGiveUp(IncomingMessage message, JobEnvelope job, int attempt, long token, int generation, Outcome.Retry r,
                                      List<FailureEntry> history, RetryPolicy policy, String traceparent, long deferredSoFar,
                                      io.durablejobs.core.metrics.WorkerObserver.Scope scope) throws PublishException {
        if (!policy.mayRetryAfter(attempt)) {
            List<FailureEntry> failed = withFailure(history, attempt, DeadLetterReasons.RETRIES_EXHAUSTED, r.error());
            publisher.publish(messages.deadLetter(message, job, attempt, DeadLetterReasons.RETRIES_EXHAUSTED, r.error(), failed));
            if (finish(job, token, new Transition(JobStatus.DEAD_LETTERED, attempt, null,
                    shown(DeadLetterReasons.RETRIES_EXHAUSTED, r.error()))) == JobStore.Result.APPLIED) {
                scope.finished(JobStatus.DEAD_LETTERED, generation);
            }
            LOG.info("job dead-lettered jobId={} type={} attempt={} tenant={} reason={}", job.jobId(), job.type(), attempt, job.tenant(),
                    DeadLetterReasons.RETRIES_EXHAUSTED);
            return Disposition.DEAD_LETTERED;
        }
        Duration wanted = policy.delayAfter(attempt, random);
        if (r.notBefore().compareTo(wanted) > 0) {
            wanted = r.notBefore();
        }
        Duration tier = topology.tiers().tierFor(wanted);
        publisher.publish(messages.retry(job, attempt + 1, tier, withFailure(history, attempt, "retryable", r.error()), traceparent,
                deferredSoFar));
        finish(job, token, new Transition(JobStatus.RETRYING, attempt, null, r.error()));
        LOG.info("job retrying jobId={} type={} attempt={} tenant={} delay={}", job.jobId(), job.type(), attempt, job.tenant(), tier);
        return Disposition.RETRIED;
    }

    /**
     * The job's downstream is failing cluster-wide: wait (a retry tier, same attempt, no claim so its status
     * stands) instead of failing, until the total wait passes {@code maxDeferral}; then dead-letter it as
     * breaker_open. An outage does not flood the dead queue, and work resumes when the breaker closes.
     */
    private Disposition deferForBreaker(IncomingMessage message, JobEnvelope job, int attempt, List<FailureEntry> history,
                                        String traceparent, long deferredSoFar, Permit.Rejected rejected) throws PublishException {
        Duration tier = topology.tiers().tierFor(rejected.retryAfter());
        long total = deferredSoFar + tier.toMillis();
        if (total > settings.maxDeferral().toMillis()) {
            String error = "circuit breaker " + rejected.breaker() + " stayed " + rejected.state().wire() + " for "
                    + Duration.ofMillis(deferredSoFar) + " of waiting";
            return deadLetterUnclaimed(message, job, attempt, DeadLetterReasons.BREAKER_OPEN, error,
                    withFailure(history, attempt, DeadLetterReasons.BREAKER_OPEN, error));
        }
        publisher.publish(messages.deferred(job, attempt, tier, history, traceparent, total));
        LOG.info("deferred job, breaker {} jobId={} type={} attempt={} breaker={} wait={}", rejected.state().wire(), job.jobId(),
                job.type(), attempt, rejected.breaker(), tier);
        return Disposition.DEFERRED;
    }

    /** A fenced outcome write. Refused means a newer holder owns the job; its outcome stands. */
    private JobStore.Result finish(JobEnvelope job, long token, Transition t) {
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
        return r;
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
