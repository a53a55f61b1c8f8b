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
     * Full, and every call holding it has run for {@code patience} or longer: none is likely to come back
     * soon (a hung or crawling downstream), so waiting for a slot in this batch would stall the queue.
     * While a call is younger than that, a slot is likely to free up within the batch: worth waiting for.
     */
    synchronized boolean fullOfOldCalls(Duration patience) {
        return inFlight >= (int) limit && System.nanoTime() - lastStartNanos >= patience.toNanos();
    }

    /** When waiting for this downstream stops being worth it (see {@link #fullOfOldCalls}), in System.nanoTime. */
    synchronized long patienceEndsNanos(Duration patience) {
        return lastStartNanos + patience.toNanos();
    }

    synchronized int limit() {
        return (int) limit;
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
