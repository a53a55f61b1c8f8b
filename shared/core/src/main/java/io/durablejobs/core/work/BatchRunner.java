package io.durablejobs.core.work;

import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.port.StoreUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one batch so that nothing in it waits longer than it must; on the event-source mapping the next
 * batch of the queue is fetched only when this one returns, so whatever holds a batch holds the queue.
 *
 * <ul>
 *   <li>Each message runs on its own (virtual) thread, at most {@code concurrency} at once in this
 *       environment, and at most an {@link AdaptiveLimit adaptive} number against any one downstream: a
 *       healthy target earns concurrency, a failing or slow one loses it.</li>
 *   <li>A message whose downstream is at its limit waits in the batch for a slot while the target shows
 *       signs of life: a call to it started or answered less than the batch's budget ago. When every call
 *       holding it is older and none has answered for as long (a hung or crawling target), the message is
 *       handed to a retry tier at once, no claim taken and no attempt spent.</li>
 *   <li>The batch has its own budget ({@code handOnAfter}, well inside the function's timeout). When it runs
 *       out, messages not yet started are deferred the same way, and runs still waiting on a downstream are
 *       handed on: a copy is published (confirmed) past the run's lease and the batch returns. The run goes
 *       on in the background and records its own outcome under its claim's fencing token. Runs without a
 *       downstream (CPU-bound work such as rendering) are waited for instead: handing them on frees
 *       nothing, and their own budget bounds them.</li>
 *   <li>Each job has a budget of its own ({@code jobBudget}). A run that overruns it fails alone: it is
 *       settled as a timed-out attempt (retry tier, or dead-letter as {@code time_budget_exceeded} when its attempts
 *       are spent), its thread is interrupted, and its late outcome is dropped.</li>
 * </ul>
 *
 * <p>When a message cannot be handed on (broker or Redis down), no further message is started, and the
 * failure is thrown so the whole batch comes back; finished messages are then recognised and skipped.
 */
public final class BatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
    private static final String NO_DOWNSTREAM = "";
    /** Put on a batch's finished-queue to wake it: a slot freed elsewhere, not one of its own runs ending. */
    private static final JobSlot SLOT_FREED = new JobSlot(null, NO_DOWNSTREAM);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-budget-timer");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param concurrency     messages in flight at once in this environment, handed-on runs included
     * @param perTarget       a downstream's starting limit of calls in flight
     * @param perTargetMax    the most a downstream's limit can grow to
     * @param handOnAfter     the batch's budget: after this, unstarted messages are deferred and running ones handed on
     * @param jobBudget       one job's budget: a run past it fails alone, as a timed-out attempt
     */
    public record Settings(int concurrency, int perTarget, int perTargetMax, Duration handOnAfter, Duration jobBudget) {
        public Settings {
            if (concurrency < 1 || perTarget < 1 || perTargetMax < perTarget) {
                throw new IllegalArgumentException("concurrency and perTarget must be >= 1, perTargetMax >= perTarget");
            }
            Objects.requireNonNull(handOnAfter);
            Objects.requireNonNull(jobBudget);
        }
    }

    private final WorkerService worker;
    private final ExecutorService executor;
    private final Settings settings;
    private final AdaptiveLimit global;
    private final Map<String, AdaptiveLimit> targets = new ConcurrentHashMap<>();
    /**
     * The finished-queues of the batches running now. A run handed on by an earlier batch still holds its
     * downstream's slot; when it ends, the batches waiting for that slot are woken here, since nobody reads its
     * own batch's queue any more.
     */
    private final Set<LinkedBlockingQueue<JobSlot>> running = ConcurrentHashMap.newKeySet();

    /** Each message on a virtual thread of its own. */
    public BatchRunner(WorkerService worker, Settings settings) {
        this(worker, Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory()), settings);
    }

    public BatchRunner(WorkerService worker, ExecutorService executor, Settings settings) {
        this.worker = worker;
        this.executor = executor;
        this.settings = settings;
        this.global = new AdaptiveLimit(settings.concurrency(), settings.concurrency(), settings.concurrency());
    }

    /**
     * A fixed limit of {@code perTarget} calls per downstream, as many messages at once as {@code executor}
     * runs, and no budget of the batch's or a job's own beyond the deadline given to {@link #run}.
     */
    public BatchRunner(WorkerService worker, ExecutorService executor, int perTarget) {
        this(worker, executor, new Settings(Integer.MAX_VALUE, perTarget, perTarget, WorkerService.NO_BUDGET, WorkerService.NO_BUDGET));
    }

    /** Hand-off failures, as one exception for the edge to rethrow. */
    public static final class HandOffFailed extends Exception {
        public HandOffFailed(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** @param deadline when the invocation must return by (the function's remaining time less a safety margin) */
    public Map<Disposition, Integer> run(List<IncomingMessage> messages, Instant deadline) throws HandOffFailed {
        long startNanos = System.nanoTime();
        Instant budgetEnd = Instant.now().plus(settings.handOnAfter());
        Instant handOnAt = budgetEnd.isBefore(deadline) ? budgetEnd : deadline;
        Map<String, ArrayDeque<WorkerService.Decoded>> pending = new LinkedHashMap<>();
        for (IncomingMessage m : messages) {
            // Decoded once here: the run uses the same envelope rather than decoding the body again.
            WorkerService.Decoded d = worker.decoded(m);
            String target = d.downstream();
            pending.computeIfAbsent(target == null ? NO_DOWNSTREAM : target, k -> new ArrayDeque<>()).add(d);
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        Map<Disposition, Integer> counts = new EnumMap<>(Disposition.class);
        LinkedBlockingQueue<JobSlot> finished = new LinkedBlockingQueue<>();
        List<JobSlot> slots = new ArrayList<>();
        List<CompletableFuture<Disposition>> deferrals = new ArrayList<>();
        int open = 0;
        long[] patienceEnds = new long[1];
        running.add(finished);
        try {
            while (true) {
                // Runs that ended are taken in before starting more, never after: a run frees its slots before it
                // reports here, so each report taken is a slot the start below can see. Taken after the start, a
                // report of a run that ended during it would be used up unseen, and with nothing else running the
                // batch would idle to its budget and defer messages whose downstream had room.
                for (JobSlot ended; (ended = finished.poll()) != null; ) {
                    if (ended != SLOT_FREED) {
                        open--;
                    }
                }
                patienceEnds[0] = Long.MAX_VALUE;
                if (failure.get() == null) {
                    open += startWhatCan(pending, deadline, slots, finished, failure, deferrals, patienceEnds);
                }
                boolean waiting = pending.values().stream().anyMatch(q -> !q.isEmpty());
                if (open == 0 && (!waiting || failure.get() != null)) {
                    break;
                }
                long waitNanos = Duration.between(Instant.now(), handOnAt).toNanos();
                if (waitNanos <= 0) {
                    break;
                }
                // Wake up when waiting for a full downstream stops being worth it, to defer its messages then.
                waitNanos = Math.min(waitNanos, Math.max(1_000_000, patienceEnds[0] - System.nanoTime()));
                try {
                    JobSlot ended = finished.poll(waitNanos, TimeUnit.NANOSECONDS);
                    if (ended != null && ended != SLOT_FREED) {
                        open--;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                    break;
                }
            }
        } finally {
            running.remove(finished);
        }
        // The batch's budget is spent (or everything is done): defer what never started, hand on what still runs.
        if (failure.get() == null) {
            for (ArrayDeque<WorkerService.Decoded> q : pending.values()) {
                for (WorkerService.Decoded d; (d = q.poll()) != null; ) {
                    deferrals.add(deferLater(d.message()));
                }
            }
        }
        // A run with no downstream is this environment's own work (CPU, memory): handing it on would free
        // nothing, only start the next batch on top of it. It is waited for, bounded by its own budget.
        for (JobSlot slot : slots) {
            if (slot.target.equals(NO_DOWNSTREAM) && !slot.done.isDone() && failure.get() == null) {
                try {
                    slot.done.get(Math.max(0, Duration.between(Instant.now(), deadline).toNanos()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // still running at the deadline: handed on below; or failed: collected below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, e);
                }
            }
        }
        Map<JobSlot, CompletableFuture<Boolean>> handOns = new LinkedHashMap<>();
        for (JobSlot slot : slots) {
            if (!slot.done.isDone() && failure.get() == null) {
                handOns.put(slot, handOnWhenClaimed(slot, deadline));
            }
        }
        for (JobSlot slot : slots) {
            CompletableFuture<Boolean> handOn = handOns.get(slot);
            if (handOn == null) {
                if (slot.done.isDone()) {
                    collect(slot.done, counts, failure);
                }
                continue;
            }
            try {
                if (handOn.join()) {
                    counts.merge(Disposition.HANDED_ON, 1, Integer::sum);
                } else {
                    collect(slot.done, counts, failure); // it was finishing on its own, without a claim: short
                }
            } catch (RuntimeException e) {
                failure.compareAndSet(null, unwrap(e));
            }
        }
        for (CompletableFuture<Disposition> d : deferrals) {
            collect(d, counts, failure);
        }
        long ms = (System.nanoTime() - startNanos) / 1_000_000;
        if (failure.get() != null) {
            LOG.warn("batch not handed on messages={} ms={} counts={}: {}", messages.size(), ms, counts, failure.get().toString());
            throw new HandOffFailed(failure.get());
        }
        LOG.info("batch done messages={} ms={} succeeded={} retried={} deferred={} deadLettered={} skipped={} handedOn={} inFlight={}",
                messages.size(), ms, counts.getOrDefault(Disposition.SUCCEEDED, 0), counts.getOrDefault(Disposition.RETRIED, 0),
                counts.getOrDefault(Disposition.DEFERRED, 0), counts.getOrDefault(Disposition.DEAD_LETTERED, 0),
                counts.getOrDefault(Disposition.SKIPPED, 0), counts.getOrDefault(Disposition.HANDED_ON, 0), global.inFlight());
        return counts;
    }

    /** Starts every pending message that has a slot; defers those whose downstream is held by earlier batches. */
    private int startWhatCan(Map<String, ArrayDeque<WorkerService.Decoded>> pending, Instant deadline, List<JobSlot> slots,
                             LinkedBlockingQueue<JobSlot> finished, AtomicReference<Exception> failure,
                             List<CompletableFuture<Disposition>> deferrals, long[] patienceEnds) {
        int started = 0;
        for (Iterator<Map.Entry<String, ArrayDeque<WorkerService.Decoded>>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, ArrayDeque<WorkerService.Decoded>> e = it.next();
            String target = e.getKey();
            ArrayDeque<WorkerService.Decoded> q = e.getValue();
            AdaptiveLimit limit = target.equals(NO_DOWNSTREAM) ? null
                    : targets.computeIfAbsent(target, t -> new AdaptiveLimit(settings.perTarget(), 1, settings.perTargetMax()));
            while (!q.isEmpty()) {
                if (!global.tryAcquire()) {
                    if (global.fullOfOldCalls(settings.handOnAfter())) {
                        drainTo(q, deferrals);
                    } else {
                        patienceEnds[0] = Math.min(patienceEnds[0], global.patienceEndsNanos(settings.handOnAfter()));
                    }
                    break;
                }
                if (limit != null && !limit.tryAcquire()) {
                    global.releaseUnjudged();
                    if (limit.fullOfOldCalls(settings.handOnAfter())) {
                        drainTo(q, deferrals);
                    } else {
                        patienceEnds[0] = Math.min(patienceEnds[0], limit.patienceEndsNanos(settings.handOnAfter()));
                    }
                    break;
                }
                WorkerService.Decoded d = q.poll();
                JobSlot slot = new JobSlot(d.message(), target, d.job());
                slots.add(slot);
                start(slot, limit, deadline, finished, failure);
                started++;
            }
            if (q.isEmpty()) {
                it.remove();
            }
        }
        return started;
    }

    private void drainTo(ArrayDeque<WorkerService.Decoded> q, List<CompletableFuture<Disposition>> deferrals) {
        for (WorkerService.Decoded d; (d = q.poll()) != null; ) {
            deferrals.add(deferLater(d.message()));
        }
    }

    private CompletableFuture<Disposition> deferLater(IncomingMessage m) {
        CompletableFuture<Disposition> f = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                f.complete(worker.deferUnstarted(m));
            } catch (PublishException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private void start(JobSlot slot, AdaptiveLimit limit, Instant deadline, LinkedBlockingQueue<JobSlot> finished,
                       AtomicReference<Exception> failure) {
        slot.done.whenComplete((d, err) -> {
            Boolean ok = slot.downstreamOk;
            if (limit != null) {
                if (ok == null) {
                    limit.releaseUnjudged();
                } else {
                    limit.release(ok);
                }
            }
            global.releaseUnjudged();
            if (err != null && !slot.handedOn) {
                failure.compareAndSet(null, unwrap(err));
            } else if (err != null) {
                LOG.warn("handed-on run could not hand its job off (its copy will run it) messageId={}: {}", slot.message.messageId(),
                        err.toString());
            }
            finished.add(slot);
            // A run of an earlier batch (handed on) frees a slot that a batch running now may be waiting for.
            for (LinkedBlockingQueue<JobSlot> other : running) {
                if (other != finished) {
                    other.offer(SLOT_FREED);
                }
            }
        });
        executor.execute(() -> {
            try {
                Disposition d = worker.process(slot, deadline, settings.jobBudget());
                if (d != null) {
                    slot.done.complete(d);
                }
            } catch (PublishException | RuntimeException e) {
                slot.done.completeExceptionally(e);
            } catch (Error e) {
                slot.done.completeExceptionally(e);
                throw e;
            }
        });
        if (settings.jobBudget().compareTo(WorkerService.NO_BUDGET) < 0) {
            // Checked a little after the handler's own deadline, so a handler that honours it settles itself.
            long delay = settings.jobBudget().toMillis() + 50;
            TIMER.schedule(() -> enforceBudget(slot), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** The job's budget is spent: settle the run as a timed-out attempt, unless its handler settled it first. */
    private void enforceBudget(JobSlot slot) {
        JobSlot.Running run = slot.running();
        if (run == null || slot.done.isDone()) {
            return;
        }
        long overdue = System.nanoTime() - run.startedNanos() - run.budget().toNanos();
        if (overdue < 0) {
            // The claim came late (a slow Redis call): check again when this run's own budget is spent.
            TIMER.schedule(() -> enforceBudget(slot), -overdue / 1_000_000 + 50, TimeUnit.MILLISECONDS);
            return;
        }
        if (!slot.settleByTimeout()) {
            return;
        }
        slot.downstreamOk = false;
        slot.interrupt();
        executor.execute(() -> {
            try {
                slot.done.complete(worker.timedOut(run));
            } catch (PublishException | RuntimeException e) {
                slot.done.completeExceptionally(e);
            }
        });
    }

    /**
     * Hands on a run still going at the end of the batch's budget. A message still being claimed is waited
     * for (a Redis round trip at most); one that never got a claim has finished by then on its own.
     */
    private CompletableFuture<Boolean> handOnWhenClaimed(JobSlot slot, Instant deadline) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                while (slot.isStarting() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(1);
                }
                JobSlot.Running run = slot.running();
                if (run == null) {
                    // Never claimed: it is being deferred, skipped or dead-lettered on its own; its disposition stands.
                    f.complete(false);
                    return;
                }
                slot.handedOn = true;
                worker.handOn(run);
                f.complete(true);
            } catch (PublishException | RuntimeException e) {
                f.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static void collect(CompletableFuture<Disposition> f, Map<Disposition, Integer> counts, AtomicReference<Exception> failure) {
        try {
            Disposition d = f.join();
            synchronized (counts) {
                counts.merge(d, 1, Integer::sum);
            }
        } catch (RuntimeException e) {
            failure.compareAndSet(null, unwrap(e));
        }
    }

    private static Exception unwrap(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof Exception ex ? ex : new RuntimeException(t);
    }

    /** A downstream's current limit of calls in flight (tests, metrics). */
    public int limitOf(String target) {
        AdaptiveLimit l = targets.get(target);
        return l == null ? settings.perTarget() : l.limit();
    }
}
