package io.durablejobs.core.work;

import io.durablejobs.core.breaker.Permit;
import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.type.JobType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One message of a batch on its way through the worker, shared by the thread that runs it and the batch
 * runner that watches it. Exactly one side settles a claimed run: the worker when the handler returns in
 * time, or the runner when the job's own time budget runs out (then the handler's late outcome is
 * dropped). A compare-and-set decides, so an outcome is never handed off twice by this environment.
 */
final class JobSlot {
    private static final int STARTING = 0;
    private static final int RUNNING = 1;
    private static final int SETTLED = 2;

    final IncomingMessage message;
    final String target;
    final CompletableFuture<Disposition> done = new CompletableFuture<>();
    private final AtomicInteger state = new AtomicInteger(STARTING);
    private volatile Running running;
    private volatile Thread thread;
    volatile boolean handedOn;
    /** Set when settled: did the downstream answer in time (for the adaptive limit)? Null: never called. */
    volatile Boolean downstreamOk;

    /** The message's job, decoded once by the batch runner (to find its downstream); null: decode it when run. */
    final JobEnvelope decoded;

    JobSlot(IncomingMessage message, String target) {
        this(message, target, null);
    }

    JobSlot(IncomingMessage message, String target, JobEnvelope decoded) {
        this.message = message;
        this.target = target;
        this.decoded = decoded;
    }

    /** A claimed run: everything needed to hand the job on without its handler. */
    record Running(IncomingMessage message, JobEnvelope job, JobType type, int attempt, long token, int generation,
                   List<FailureEntry> history, String traceparent, long deferredSoFar, Permit.Allowed permit,
                   Instant jobDeadline, long startedNanos, Duration budget) {
    }

    void started(Running r) {
        running = r;
        thread = Thread.currentThread();
        state.compareAndSet(STARTING, RUNNING);
    }

    Running running() {
        return running;
    }

    boolean isRunning() {
        return state.get() == RUNNING;
    }

    boolean isStarting() {
        return state.get() == STARTING && !done.isDone();
    }

    /** The worker's side: true when the handler's outcome is still this environment's to hand off. */
    boolean settleByWorker() {
        int s = state.get();
        return s != SETTLED && state.compareAndSet(s, SETTLED);
    }

    /** The runner's side, when the job's budget ran out: true when the runner now owns the hand-off. */
    boolean settleByTimeout() {
        return state.compareAndSet(RUNNING, SETTLED);
    }

    void interrupt() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
