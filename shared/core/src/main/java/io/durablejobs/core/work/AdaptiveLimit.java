package io.durablejobs.core.work;

import java.time.Duration;

/**
 * How many calls one downstream may have in flight from this environment: additive increase,
 * multiplicative decrease (the AIMD of TCP congestion control, as in Netflix's concurrency-limits
 * {@code AIMDLimit}). A call that answered in time while the limit was at least half used earns one
 * more slot; a call that failed, was slow or timed out cuts the limit by {@link #BACKOFF}. A healthy
 * receiver therefore earns the concurrency its latency needs within a few hundred calls, and a sick one
 * falls to {@code min} within a handful. Written here rather than taken from concurrency-limits because
 * the core takes no dependencies beyond the JDK, Jackson and SLF4J, and this is all of it we need.
 */
final class AdaptiveLimit {
    static final double BACKOFF = 0.5;

    private final int min;
    private final int max;
    private double limit;
    private int inFlight;
    /** When the youngest call in flight started (System.nanoTime). */
    private long lastStartNanos;
    /** When a call last came back answered in time (System.nanoTime); 0 before the first. */
    private long lastOkNanos;

    AdaptiveLimit(int initial, int min, int max) {
        this.min = min;
        this.max = max;
        this.limit = Math.max(min, Math.min(max, initial));
    }

    synchronized boolean tryAcquire() {
        if (inFlight >= (int) limit) {
            return false;
        }
        inFlight++;
        lastStartNanos = System.nanoTime();
        return true;
    }

    /** @param ok answered in time; false for a failed, slow or timed-out call */
    synchronized void release(boolean ok) {
        int before = inFlight;
        inFlight--;
        if (ok) {
            lastOkNanos = System.nanoTime();
            if (before * 2 >= limit) {
                limit = Math.min(max, limit + 1);
            }
        } else {
            limit = Math.max(min, limit * BACKOFF);
        }
    }

    /** Release without a verdict on the downstream (the call never reached it). */
    synchronized void releaseUnjudged() {
        inFlight--;
    }

    /**
     * Full, every call holding it has run for {@code patience} or longer, and none has come back answered
     * for as long: nothing suggests a slot will free up soon (a hung or crawling downstream), so waiting for
     * one in this batch would stall the queue. A target that keeps answering, however slowly (a cold pool,
     * a busy machine), is waited for instead, within the batch's budget.
     */
    synchronized boolean fullOfOldCalls(Duration patience) {
        long now = System.nanoTime();
        return inFlight >= (int) limit && now - lastStartNanos >= patience.toNanos()
                && (lastOkNanos == 0 || now - lastOkNanos >= patience.toNanos());
    }

    /** When waiting for this downstream stops being worth it (see {@link #fullOfOldCalls}), in System.nanoTime. */
    synchronized long patienceEndsNanos(Duration patience) {
        return Math.max(lastStartNanos, lastOkNanos) + patience.toNanos();
    }

    synchronized int limit() {
        return (int) limit;
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
