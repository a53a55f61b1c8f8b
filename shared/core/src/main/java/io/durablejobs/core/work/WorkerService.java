package io.durablejobs.core.work;

import io.durablejobs.core.breaker.CallResult;
import io.durablejobs.core.breaker.CircuitBreakers;
import io.durablejobs.core.breaker.Permit;
import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.event.CompletionEvents;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.metrics.WorkerObserver;
import io.durablejobs.core.port.Claim;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.JobStanding;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.Pipelined;
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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivered message to its end: decode, claim the job's execution lease, run the handler, then
 * hand the job on (complete, retry tier, or dead-letter exchange), and count a finished job in the ledger.
 *
 * <p>Two rules make this safe under at-least-once delivery. Every hand-off is published and confirmed
 * before the status moves, so a failure between the two can repeat work but never lose it. And every
 * write after the run is fenced by the claim's token, so a worker whose lease lapsed cannot record an
 * outcome over a newer holder's: a job's completion is recorded once, however often it is delivered.
 *
 * <p>The ledger is a required collaborator, not an observer: the count of a finished job is part of
 * finishing it. It goes by the job's stored status and replay generation, and the ledger counts each
 * (job, generation) once, so the count is repeated, harmlessly, on every path that finds the job
 * finished (a redelivered message of a finished job is skipped, and counted again): a crash between the
 * status write and the count is repaired by the redelivery that crash causes.
 *
 * <p>Throws {@link PublishException} (broker) or {@code StoreUnavailableException} (Redis) when it could
 * not hand the job on; the edge then fails the batch so the broker delivers it again. It never runs a
 * handler without a claim.
 */
public final class WorkerService {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);
    /** How long a job waits when the job store is unreachable at its claim (rounded up to a retry tier). */
    static final Duration STORE_OUTAGE_WAIT = Duration.ofSeconds(5);
    /** No budget of its own: the job may use the invocation's time. */
    static final Duration NO_BUDGET = Duration.ofDays(1);

    private final String queueType;
    private final JobTypeRegistry registry;
    private final JobStore store;
    private final Ledger ledger;
    private final JobPublisher publisher;
    private final JobMessages messages;
    private final Topology topology;
    private final Settings settings;
    private final Clock clock;
    private final DoubleSupplier random;
    private final CircuitBreakers breakers;
    private final WorkerObserver observer;
    /** Completion events on {@code <ns>.events}; NONE publishes nothing. */
    private final CompletionEvents events;

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

    public WorkerService(String queueType, JobTypeRegistry registry, JobStore store, Ledger ledger, JobPublisher publisher,
                         Topology topology, Settings settings, Clock clock, DoubleSupplier random) {
        this(queueType, registry, store, ledger, publisher, topology, settings, clock, random, CircuitBreakers.NONE);
    }

    /** @param queueType the job type whose queue this worker consumes; other types are dead-lettered */
    public WorkerService(String queueType, JobTypeRegistry registry, JobStore store, Ledger ledger, JobPublisher publisher,
                         Topology topology, Settings settings, Clock clock, DoubleSupplier random, CircuitBreakers breakers) {
        this(queueType, registry, store, ledger, publisher, topology, settings, clock, random, breakers, WorkerObserver.NONE);
    }

    /**
     * @param ledger   counts jobs that finished (required: a worker that does not count unbalances the ledger)
     * @param observer told about each message (log context, spans, metrics); see JobTelemetry
     */
    public WorkerService(String queueType, JobTypeRegistry registry, JobStore store, Ledger ledger, JobPublisher publisher,
                         Topology topology, Settings settings, Clock clock, DoubleSupplier random, CircuitBreakers breakers,
                         WorkerObserver observer) {
        this(queueType, registry, store, ledger, publisher, topology, settings, clock, random, breakers, observer, CompletionEvents.NONE);
    }

    /** @param events told once a job's final outcome is recorded (and again when a redelivery finds it finished) */
    public WorkerService(String queueType, JobTypeRegistry registry, JobStore store, Ledger ledger, JobPublisher publisher,
                         Topology topology, Settings settings, Clock clock, DoubleSupplier random, CircuitBreakers breakers,
                         WorkerObserver observer, CompletionEvents events) {
        this.events = Objects.requireNonNull(events, "events");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.queueType = queueType;
        this.breakers = Objects.requireNonNull(breakers, "breakers");
        this.registry = registry;
        this.store = store;
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.publisher = publisher;
        this.messages = new JobMessages(topology);
        this.topology = topology;
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    /** The downstream a message's job calls (its breaker and bulkhead), or null; cheap, never throws. */
    public String downstreamOf(IncomingMessage message) {
        return decoded(message).downstream();
    }

    /** A message with its job decoded (null when undecodable) and the downstream that job calls (or null). */
    record Decoded(IncomingMessage message, JobEnvelope job, String downstream) {
    }

    /** Decodes a message once for the batch runner, which needs its downstream before it runs; never throws. */
    Decoded decoded(IncomingMessage message) {
        JobEnvelope job;
        try {
            job = JobMessages.decode(message.body());
        } catch (RuntimeException e) {
            return new Decoded(message, null, null);
        }
        try {
            return new Decoded(message, job, registry.find(job.type()).map(t -> t.downstream(job.payload())).orElse(null));
        } catch (RuntimeException e) {
            return new Decoded(message, job, null);
        }
    }

    /** Runs one message on this thread, the handler bounded only by {@code deadline}. */
    public Disposition process(IncomingMessage message, Instant deadline) throws PublishException {
        JobSlot slot = new JobSlot(message, null);
        return process(slot, deadline, NO_BUDGET);
    }

    /**
     * The batch runner's entry: the handler's deadline is the earlier of {@code deadline} and the job's own
     * budget. Returns null when the runner settled the run (its budget ran out) and owns its hand-off.
     */
    Disposition process(JobSlot slot, Instant deadline, Duration jobBudget) throws PublishException {
        try (WorkerObserver.Scope scope = observer.received(slot.message)) {
            Disposition d = process(slot, deadline, jobBudget, scope);
            if (d != null) {
                scope.disposed(d);
            }
            return d;
        }
    }

    private Disposition process(JobSlot slot, Instant deadline, Duration jobBudget, WorkerObserver.Scope scope)
            throws PublishException {
        IncomingMessage message = slot.message;
        int attempt = Math.max(1, message.intHeader(JobHeaders.ATTEMPT, 1));
        List<FailureEntry> history = JobMessages.history(message);
        JobEnvelope job = slot.decoded;
        try {
            if (job == null) {
                job = JobMessages.decode(message.body());
            }
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
        Instant dueAt = JobMessages.dueAt(message);
        if (dueAt != null && clock.instant().isBefore(dueAt)) {
            // A delayed job not yet due: one more hop toward its time, not run, no claim, no attempt spent.
            Duration hop = topology.tiers().hopToward(Duration.between(clock.instant(), dueAt));
            publisher.publish(messages.scheduled(job, attempt, dueAt, hop, history, traceparent, deferredSoFar));
            LOG.debug("scheduled job hops on jobId={} type={} dueAt={} hop={}", job.jobId(), job.type(), dueAt, hop);
            return Disposition.DEFERRED;
        }

        Instant now = clock.instant();
        if (Duration.between(now, deadline).compareTo(settings.minRunTime()) < 0) {
            // Too little time left in this invocation to run it properly: hand it on untouched.
            Duration tier = topology.tiers().tierFor(Duration.ZERO);
            publisher.publish(messages.deferred(job, attempt, tier, history, traceparent, deferredSoFar));
            LOG.debug("deferred job, deadline too near jobId={} type={} attempt={}", job.jobId(), job.type(), attempt);
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

        // The job's own budget bounds its handler and its lease: a job that overruns it fails alone.
        Instant byBudget = now.plus(jobBudget);
        Instant jobDeadline = byBudget.isBefore(deadline) ? byBudget : deadline;
        Duration lease = Duration.between(clock.instant(), jobDeadline).plus(settings.leaseSlack());
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
        if (claim instanceof Claim.Finished && events.enabled()) {
            // The event may not have been confirmed before this message came back (that failed its batch):
            // at least once means publishing it again.
            Optional<JobRecord> done = store.find(job.jobId());
            if (done.isPresent() && done.get().status().isTerminal()) {
                events.finished(job, done.get(), store.standing(job.jobId()).map(JobStanding::generation).orElse(0));
            }
        }
        if (claim instanceof Claim.Finished || claim instanceof Claim.Stale) {
            LOG.debug("skipped {} delivery jobId={} type={} attempt={}", claim instanceof Claim.Finished ? "finished job's" : "stale",
                    job.jobId(), job.type(), attempt);
            if (claim instanceof Claim.Finished) {
                countIfFinished(job);
            }
            return Disposition.SKIPPED;
        }
        if (claim instanceof Claim.Busy busy) {
            // Not run (another worker holds a live lease) and not dropped (that worker may die): come back later.
            Duration tier = topology.tiers().tierFor(Duration.ofMillis(busy.leaseRemainingMillis()));
            publisher.publish(messages.deferred(job, attempt, tier, history, traceparent, deferredSoFar));
            LOG.debug("deferred busy job jobId={} type={} attempt={} leaseLeftMs={}", job.jobId(), job.type(), attempt,
                    busy.leaseRemainingMillis());
            return Disposition.DEFERRED;
        }
        if (claim instanceof Claim.Poison poison) {
            String error = "attempt " + attempt + " was delivered " + poison.deliveries() + " times without finishing (it crashes or times out its function)";
            return deadLetterUnclaimed(message, job, attempt, DeadLetterReasons.DELIVERY_LIMIT, error,
                    withFailure(history, attempt, DeadLetterReasons.DELIVERY_LIMIT, error));
        }
        Claim.Claimed claimed = (Claim.Claimed) claim;
        JobSlot.Running run = new JobSlot.Running(message, job, type.get(), attempt, claimed.token(), claimed.generation(), history,
                traceparent, deferredSoFar, permit, jobDeadline, System.nanoTime(), jobBudget);
        slot.started(run);

        StoreRunControl control = new StoreRunControl(store, job.jobId(), clock);
        Outcome outcome = run(type.get(), job, attempt, jobDeadline, control);
        Duration took = Duration.ofNanos(System.nanoTime() - run.startedNanos());
        if (!slot.settleByWorker()) {
            // The job's budget ran out first and the runner handed it off as timed out; this late outcome is dropped.
            Thread.interrupted();
            LOG.debug("late outcome dropped, job already timed out jobId={} attempt={}", job.jobId(), attempt);
            return null;
        }
        scope.handled(job, attempt, outcome, took);
        slot.downstreamOk = !(outcome instanceof Outcome.Retry);
        if (permit != null) {
            // A retryable outcome is the downstream failing; success and permanent errors are it answering.
            breakers.record(permit, new CallResult(outcome instanceof Outcome.Retry, took));
        }
        return handOff(run, outcome, scope, null);
    }

    private Disposition handOff(JobSlot.Running run, Outcome outcome, WorkerObserver.Scope scope, String exhaustedReason)
            throws PublishException {
        JobEnvelope job = run.job();
        int attempt = run.attempt();
        if (!(outcome instanceof Outcome.Succeeded) && cancelRequestedNow(job.jobId())) {
            // Asked to stop, and it did not complete: it ends cancelled, neither retried nor dead-lettered.
            finish(job, run.token(), run.generation(), new Transition(JobStatus.CANCELLED, attempt, null, "cancelled while running"), scope);
            LOG.info("job cancelled while running jobId={} type={} attempt={} tenant={}", job.jobId(), job.type(), attempt, job.tenant());
            return Disposition.SKIPPED;
        }
        if (outcome instanceof Outcome.Succeeded s) {
            finish(job, run.token(), run.generation(), new Transition(JobStatus.SUCCEEDED, attempt, s.result(), null), scope);
            LOG.debug("job succeeded jobId={} type={} attempt={} tenant={}", job.jobId(), job.type(), attempt, job.tenant());
            return Disposition.SUCCEEDED;
        }
        if (outcome instanceof Outcome.Retry r) {
            return retryOrGiveUp(run, r, scope, exhaustedReason == null ? DeadLetterReasons.RETRIES_EXHAUSTED : exhaustedReason);
        }
        Outcome.DeadLetter d = (Outcome.DeadLetter) outcome;
        List<FailureEntry> failed = withFailure(run.history(), attempt, d.reason(), d.error());
        publisher.publish(messages.deadLetter(run.message(), job, attempt, d.reason(), d.error(), failed));
        finish(job, run.token(), run.generation(), new Transition(JobStatus.DEAD_LETTERED, attempt, null, shown(d.reason(), d.error())), scope);
        noteFailures(job, attempt, failed, null);
        LOG.debug("job dead-lettered jobId={} type={} attempt={} tenant={} reason={}", job.jobId(), job.type(), attempt, job.tenant(), d.reason());
        return Disposition.DEAD_LETTERED;
    }

    /**
     * The job ran past its own budget: it fails alone, as an attempt like any other (its failure says so),
     * and once its attempts are spent it dead-letters as {@code time_budget_exceeded}. Called by the batch runner once
     * it has settled the run, so the handler's late outcome is not handed off as well.
     */
    Disposition timedOut(JobSlot.Running run) throws PublishException {
        Duration took = Duration.ofNanos(System.nanoTime() - run.startedNanos());
        if (run.permit() != null) {
            breakers.record(run.permit(), new CallResult(true, took));
        }
        String error = "ran past its time budget of " + run.budget().toMillis() + " ms";
        LOG.info("job timed out jobId={} type={} attempt={} budgetMs={}", run.job().jobId(), run.job().type(), run.attempt(),
                run.budget().toMillis());
        return handOff(run, Outcome.retry(error), WorkerObserver.NO_SCOPE, DeadLetterReasons.TIME_BUDGET_EXCEEDED);
    }

    /**
     * The batch's budget ran out while this run goes on: publish a copy (same attempt, confirmed) to a retry
     * tier past the run's lease, so the batch can return and the next one be fetched. The run keeps its claim
     * and records its own outcome; the copy then finds the job finished or handed on and is skipped. Only if
     * this environment dies with the run does the copy run the job again, once the lease has lapsed.
     */
    void handOn(JobSlot.Running run) throws PublishException {
        Duration wait = Duration.between(clock.instant(), run.jobDeadline()).plus(settings.leaseSlack());
        Duration tier = topology.tiers().tierFor(wait.isNegative() ? Duration.ZERO : wait);
        publisher.publish(messages.deferred(run.job(), run.attempt(), tier, run.history(), run.traceparent(), run.deferredSoFar()));
        LOG.debug("handed on running job jobId={} type={} attempt={} copyIn={}", run.job().jobId(), run.job().type(), run.attempt(), tier);
    }

    /**
     * A message that could not start at once (its downstream is at its concurrency limit with calls of earlier
     * batches, or the batch's budget ran out before its turn): handed to the shortest retry tier untouched, no
     * claim taken and no attempt spent. Not counted as breaker waiting: the downstream is busy, not refusing.
     */
    Disposition deferUnstarted(IncomingMessage message) throws PublishException {
        JobEnvelope job;
        try {
            job = JobMessages.decode(message.body());
        } catch (IllegalArgumentException e) {
            return process(message, clock.instant().plus(NO_BUDGET)); // dead-letters it as undecodable
        }
        int attempt = Math.max(1, message.intHeader(JobHeaders.ATTEMPT, 1));
        long deferredSoFar = Math.max(0, message.intHeader(JobHeaders.DEFERRED_MS, 0));
        Instant dueAt = JobMessages.dueAt(message);
        if (dueAt != null) {
            // A delayed job keeps its due time whatever sends it round again, so it can never run early.
            Duration left = Duration.between(clock.instant(), dueAt);
            Duration hop = left.isNegative() ? topology.tiers().tierFor(Duration.ZERO) : topology.tiers().hopToward(left);
            publisher.publish(messages.scheduled(job, attempt, dueAt, hop, JobMessages.history(message), message.header(JobHeaders.TRACEPARENT),
                    deferredSoFar));
            return Disposition.DEFERRED;
        }
        publisher.publish(messages.deferred(job, attempt, topology.tiers().tierFor(Duration.ZERO), JobMessages.history(message),
                message.header(JobHeaders.TRACEPARENT), deferredSoFar));
        LOG.debug("deferred job, downstream at its limit jobId={} type={} attempt={}", job.jobId(), job.type(), attempt);
        return Disposition.DEFERRED;
    }

    /** What GET shows of the failures; best effort after the hand-off (the message carries the history that counts). */
    private void noteFailures(JobEnvelope job, int attempt, List<FailureEntry> history, Instant nextAttemptAt) {
        try {
            store.noteFailures(job.jobId(), attempt, history, nextAttemptAt);
        } catch (StoreUnavailableException e) {
            LOG.debug("failure history not kept jobId={}: {}", job.jobId(), e.getMessage());
        }
    }

    /** A fresh read of "was this job asked to stop?"; an unreachable store reads as no (the job is handed on as usual). */
    private boolean cancelRequestedNow(String jobId) {
        try {
            return store.cancelRequested(jobId);
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    private Outcome run(JobType type, JobEnvelope job, int attempt, Instant deadline, StoreRunControl control) {
        JobContext ctx = new JobContext(job.jobId(), job.tenant(), job.type(), job.payload(), attempt, deadline, control);
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

    private Disposition retryOrGiveUp(JobSlot.Running run, Outcome.Retry r, WorkerObserver.Scope scope, String exhaustedReason)
            throws PublishException {
        JobEnvelope job = run.job();
        int attempt = run.attempt();
        RetryPolicy policy = run.type().retryPolicy();
        if (!policy.mayRetryAfter(attempt)) {
            List<FailureEntry> failed = withFailure(run.history(), attempt, exhaustedReason, r.error());
            publisher.publish(messages.deadLetter(run.message(), job, attempt, exhaustedReason, r.error(), failed));
            finish(job, run.token(), run.generation(), new Transition(JobStatus.DEAD_LETTERED, attempt, null, shown(exhaustedReason, r.error())),
                    scope);
            noteFailures(job, attempt, failed, null);
            LOG.debug("job dead-lettered jobId={} type={} attempt={} tenant={} reason={}", job.jobId(), job.type(), attempt, job.tenant(),
                    exhaustedReason);
            return Disposition.DEAD_LETTERED;
        }
        Duration wanted = policy.delayAfter(attempt, random);
        if (r.notBefore().compareTo(wanted) > 0) {
            wanted = r.notBefore();
        }
        Duration tier = topology.tiers().tierFor(wanted);
        String failure = exhaustedReason.equals(DeadLetterReasons.TIME_BUDGET_EXCEEDED) ? DeadLetterReasons.TIME_BUDGET_EXCEEDED : "retryable";
        List<FailureEntry> failed = withFailure(run.history(), attempt, failure, r.error());
        publisher.publish(messages.retry(job, attempt + 1, tier, failed, run.traceparent(), run.deferredSoFar()));
        finish(job, run.token(), run.generation(), new Transition(JobStatus.RETRYING, attempt, null, r.error()), scope);
        noteFailures(job, attempt, failed, clock.instant().plus(tier));
        LOG.debug("job retrying jobId={} type={} attempt={} tenant={} delay={}", job.jobId(), job.type(), attempt, job.tenant(), tier);
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
        LOG.debug("deferred job, breaker {} jobId={} type={} attempt={} breaker={} wait={}", rejected.state().wire(), job.jobId(),
                job.type(), attempt, rejected.breaker(), tier);
        return Disposition.DEFERRED;
    }

    /**
     * A fenced outcome write, then the ledger count and the completion event of a terminal one. Refused means a
     * newer holder owns the job; its outcome stands (and it counts and announces it).
     */
    private void finish(JobEnvelope job, long token, int generation, Transition t, WorkerObserver.Scope scope) throws PublishException {
        JobStore.Result r = store.finish(job.jobId(), token, t, settings.statusTtl());
        if (r == JobStore.Result.REFUSED) {
            LOG.warn("fenced out: a newer run owns the job, this outcome is not recorded jobId={} token={} outcome={}",
                    job.jobId(), token, t.to().wire());
            if (t.to().isTerminal()) {
                countIfFinished(job); // the newer holder may have finished it; counting again is harmless
            }
            return;
        }
        if (r == JobStore.Result.MISSING) {
            // Redis lost the record mid-run (a restart without persistence): write what we know.
            Instant now = clock.instant();
            store.create(new JobRecord(job.jobId(), job.tenant(), job.type(), t.to(), t.attempt(), job.createdAt(), now,
                    t.result(), t.error()), settings.statusTtl());
            countIfFinished(job);
            announce(job, t, generation);
            return;
        }
        if (t.to().isTerminal()) {
            // This run wrote the terminal status itself: count it without reading the job back. The count and the
            // completion event do not depend on each other, so the event is published while the count travels.
            CompletableFuture<Void> counted = ledger.finishedAsync(job.tenant(), job.type(), job.jobId(), generation, t.to());
            scope.finished(t.to(), generation);
            announce(job, t, generation);
            Pipelined.await(counted);
        }
    }

    /** The completion event (and callback) of an outcome this run recorded (nothing for a retry). */
    private void announce(JobEnvelope job, Transition t, int generation) throws PublishException {
        if (t.to().isTerminal()) {
            events.finished(job, new JobRecord(job.jobId(), job.tenant(), job.type(), t.to(), t.attempt(), job.createdAt(), clock.instant(),
                    t.result(), t.error()), generation);
        }
    }

    /** Counts the job in the ledger if its stored status is terminal (a repeat is harmless: counted once). */
    private void countIfFinished(JobEnvelope job) {
        Optional<JobStanding> s = store.standing(job.jobId());
        if (s.isPresent() && s.get().status().isTerminal()) {
            ledger.finished(job.tenant(), job.type(), job.jobId(), s.get().generation(), s.get().status());
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
        countIfFinished(job);
        if (r != JobStore.Result.REFUSED) {
            announce(job, new Transition(JobStatus.DEAD_LETTERED, attempt, null, shown(reason, error)),
                    store.standing(job.jobId()).map(JobStanding::generation).orElse(0));
        }
        LOG.debug("job dead-lettered jobId={} type={} attempt={} tenant={} reason={}", job.jobId(), job.type(), attempt, job.tenant(), reason);
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
