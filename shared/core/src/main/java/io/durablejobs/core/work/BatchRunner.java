package io.durablejobs.core.work;

import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.port.StoreUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one batch with bulkheads: at most {@code concurrency} messages at once (the executor's size), and
 * at most {@code perTarget} of them against any one downstream, so a slow host holds a bounded share of
 * the batch's time and threads and the other hosts keep flowing. Messages of one downstream form a
 * queue served by up to {@code perTarget} lanes; lanes share the executor.
 *
 * <p>When a message cannot be handed on (broker or Redis down), no further message is started, running
 * ones finish, and the failure is thrown so the whole batch comes back; finished messages are then
 * recognised and skipped.
 */
public final class BatchRunner {
    private static final String NO_DOWNSTREAM = "";

    private final WorkerService worker;
    private final ExecutorService executor;
    private final int perTarget;

    public BatchRunner(WorkerService worker, ExecutorService executor, int perTarget) {
        this.worker = worker;
        this.executor = executor;
        this.perTarget = perTarget;
    }

    /** Hand-off failures, as one exception for the edge to rethrow. */
    public static final class HandOffFailed extends Exception {
        public HandOffFailed(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    public Map<WorkerService.Disposition, Integer> run(List<IncomingMessage> messages, Instant deadline) throws HandOffFailed {
        Map<String, Queue<IncomingMessage>> byTarget = new LinkedHashMap<>();
        for (IncomingMessage m : messages) {
            String target = worker.downstreamOf(m);
            byTarget.computeIfAbsent(target == null ? NO_DOWNSTREAM : target, k -> new ConcurrentLinkedQueue<>()).add(m);
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        Map<WorkerService.Disposition, Integer> counts = new EnumMap<>(WorkerService.Disposition.class);
        List<Future<?>> lanes = new ArrayList<>();
        for (Map.Entry<String, Queue<IncomingMessage>> e : byTarget.entrySet()) {
            // Messages without a downstream are not limited per target: they get as many lanes as they need.
            int laneCount = e.getKey().equals(NO_DOWNSTREAM) ? e.getValue().size() : Math.min(perTarget, e.getValue().size());
            for (int i = 0; i < laneCount; i++) {
                lanes.add(executor.submit(() -> lane(e.getValue(), deadline, failure, counts)));
            }
        }
        for (Future<?> lane : lanes) {
            try {
                lane.get();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, ie);
            } catch (ExecutionException ee) {
                failure.compareAndSet(null, ee.getCause() instanceof Exception ex ? ex : new RuntimeException(ee.getCause()));
            }
        }
        if (failure.get() != null) {
            throw new HandOffFailed(failure.get());
        }
        return counts;
    }

    private void lane(Queue<IncomingMessage> queue, Instant deadline, AtomicReference<Exception> failure,
                      Map<WorkerService.Disposition, Integer> counts) {
        IncomingMessage m;
        while (failure.get() == null && (m = queue.poll()) != null) {
            try {
                WorkerService.Disposition d = worker.process(m, deadline);
                synchronized (counts) {
                    counts.merge(d, 1, Integer::sum);
                }
            } catch (PublishException | StoreUnavailableException e) {
                failure.compareAndSet(null, e);
            }
        }
    }
}
