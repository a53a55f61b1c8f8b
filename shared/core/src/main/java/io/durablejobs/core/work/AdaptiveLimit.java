package io.durablejobs.core.work;

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
    /** In flight and started by the batch now running: slots that will come back before the batch ends. */
    private int inFlightOfBatch;
    private long batch = -1;

    AdaptiveLimit(int initial, int min, int max) {
        this.min = min;
        this.max = max;
        this.limit = Math.max(min, Math.min(max, initial));
    }

    synchronized boolean tryAcquire(long batchId) {
        if (inFlight >= (int) limit) {
            return false;
        }
        inFlight++;
        if (batch != batchId) {
            batch = batchId;
            inFlightOfBatch = 0;
        }
        inFlightOfBatch++;
        return true;
    }

    /** @param ok answered in time; false for a failed, slow or timed-out call */
    synchronized void release(long batchId, boolean ok) {
        int before = inFlight;
        inFlight--;
        if (batch == batchId) {
            inFlightOfBatch--;
        }
        if (ok) {
            if (before * 2 >= limit) {
                limit = Math.min(max, limit + 1);
            }
        } else {
            limit = Math.max(min, limit * BACKOFF);
        }
    }

    /** Release without a verdict on the downstream (the call never reached it). */
    synchronized void releaseUnjudged(long batchId) {
        inFlight--;
        if (batch == batchId) {
            inFlightOfBatch--;
        }
    }

    /**
     * Full, and none of its slots belongs to the batch now running: they are held by calls handed on from
     * earlier batches (a hung or slow downstream), so waiting for one in this batch would stall the queue.
     */
    synchronized boolean fullWithoutThisBatch(long batchId) {
        return inFlight >= (int) limit && (batch != batchId || inFlightOfBatch == 0);
    }

    synchronized int limit() {
        return (int) limit;
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
