package io.durablejobs.adapters.amqp;

import io.durablejobs.core.event.EventPublisher;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for the publishes of many concurrent jobs: the worker's jobs (each on its own thread) publish
 * their completion events, retries and dead letters as before, each waiting for its own confirm, but one
 * flusher thread takes every message asked for since its last flush, publishes them on one channel and waits
 * once for their confirms. A batch's publishes then travel in a few confirm round trips instead of one per
 * job, and on one channel instead of one channel per concurrent job: a worker running thousands of jobs at
 * once would otherwise open as many channels, past the broker's per-connection limit (2,047 by default).
 *
 * <p>Each message keeps its own outcome: a nack, a return (unroutable job) or a missing confirm fails only
 * the callers whose messages it concerns, as a {@link PublishException}. A caller waits at most for the flush
 * in flight and then its own, each bounded by the confirm timeout; past that it is told its message was not
 * confirmed, which the worker treats as any unconfirmed publish (the batch comes back, nothing is lost; the
 * message may still have been published, and its consumers recognise a repeat).
 */
public final class PublishPipeline implements JobPublisher, EventPublisher, AutoCloseable {
    private static final AtomicLong FLUSHES = new AtomicLong();
    private static final AtomicLong MESSAGES = new AtomicLong();

    private final ConfirmingPublisher publisher;
    private final long waitNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private List<Op> queue = new ArrayList<>();
    private Thread flusher;
    private boolean closed;

    private record Op(OutboundMessage message, boolean event, CompletableFuture<PublishException> outcome) {
    }

    /** @param publisher publishes each flush on one of its confirm-mode channels */
    public PublishPipeline(ConfirmingPublisher publisher) {
        this.publisher = publisher;
        // The flush in flight, then this message's own: each bounded by the confirm timeout.
        this.waitNanos = publisher.confirmTimeout().toNanos() * 2 + TimeUnit.SECONDS.toNanos(1);
    }

    @Override
    public void publish(OutboundMessage message) throws PublishException {
        await(enqueue(List.of(message), false).get(0));
    }

    /** An event: confirmed like a job, but not {@code mandatory}. */
    @Override
    public void publishEvent(OutboundMessage message) throws PublishException {
        await(enqueue(List.of(message), true).get(0));
    }

    /** Every message in the same flush (or the next, if one is in flight), each with its own outcome. */
    @Override
    public Map<Integer, PublishException> publishAll(List<OutboundMessage> messages) {
        Map<Integer, PublishException> failed = new TreeMap<>();
        List<CompletableFuture<PublishException>> outcomes = enqueue(messages, false);
        for (int i = 0; i < outcomes.size(); i++) {
            try {
                await(outcomes.get(i));
            } catch (PublishException e) {
                failed.put(i, e);
            }
        }
        return failed;
    }

    private List<CompletableFuture<PublishException>> enqueue(List<OutboundMessage> messages, boolean events) {
        List<CompletableFuture<PublishException>> outcomes = new ArrayList<>(messages.size());
        lock.lock();
        try {
            for (OutboundMessage m : messages) {
                CompletableFuture<PublishException> f = new CompletableFuture<>();
                outcomes.add(f);
                if (closed) {
                    f.complete(new PublishException("publisher closed"));
                } else {
                    queue.add(new Op(m, events, f));
                }
            }
            if (!closed && flusher == null) {
                flusher = Thread.ofPlatform().daemon().name("amqp-publish-pipeline").start(this::flushLoop);
            }
            work.signal();
        } finally {
            lock.unlock();
        }
        return outcomes;
    }

    private void await(CompletableFuture<PublishException> outcome) throws PublishException {
        PublishException failed;
        try {
            failed = outcome.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new PublishException("no confirm within " + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for the confirm", e);
        } catch (ExecutionException e) {
            throw new PublishException("not confirmed: " + e.getCause(), e.getCause());
        }
        if (failed != null) {
            throw new PublishException(failed.getMessage(), failed);
        }
    }

    private void flushLoop() {
        while (true) {
            List<Op> ops;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    work.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                ops = queue;
                queue = new ArrayList<>();
            } finally {
                lock.unlock();
            }
            flush(ops);
        }
    }

    private void flush(List<Op> ops) {
        List<OutboundMessage> messages = new ArrayList<>(ops.size());
        BitSet events = new BitSet(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            messages.add(ops.get(i).message());
            events.set(i, ops.get(i).event());
        }
        FLUSHES.incrementAndGet();
        MESSAGES.addAndGet(ops.size());
        Map<Integer, PublishException> failed;
        try {
            failed = publisher.publishAll(messages, events);
        } catch (RuntimeException e) {
            PublishException all = new PublishException("not confirmed: " + e.getMessage(), e);
            ops.forEach(op -> op.outcome().complete(all));
            return;
        }
        for (int i = 0; i < ops.size(); i++) {
            ops.get(i).outcome().complete(failed.get(i));
        }
    }

    /** Flushes made by every pipeline of this process (benchmarks: confirm round trips per job). */
    public static long flushes() {
        return FLUSHES.get();
    }

    /** Messages published through every pipeline of this process. */
    public static long messages() {
        return MESSAGES.get();
    }

    /** Publishes what is queued, then stops the flusher; later publishes fail at once. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            work.signal();
            t = flusher;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            try {
                t.join(TimeUnit.NANOSECONDS.toMillis(waitNanos));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
