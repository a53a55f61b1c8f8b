package io.durablejobs.image;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The decoded-pixel memory of one execution environment, shared by the jobs it runs at once. Each job takes
 * a permit for its estimated peak ({@link #cost}) before it decodes and holds it until its output is stored,
 * so concurrent decodes are admitted against the function's memory instead of all allocating at once: five
 * 50 MP images in one batch run one after another in 1024 MB instead of needing 3 GB.
 *
 * <p>The budget is the smaller of the function's memory ({@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}, set by
 * Lambda and by the local host) and the JVM's maximum heap, less a headroom of a quarter (at least 64 MiB)
 * for the runtime, clients, encoded input and output bytes and GC slack. Permits are counted in KiB, fair,
 * so a large image is not starved by a stream of small ones.
 */
public final class MemoryBudget {
    /** Bytes of an ARGB/RGB int raster per pixel. */
    static final int BYTES_PER_PIXEL = 4;
    /**
     * Rasters alive at a job's peak: a step's input and output, plus one for the raw decode (before it is
     * normalised to int RGB) or the encoder's copy and buffers. Measured peaks stay under it (README).
     */
    static final int RASTERS_AT_PEAK = 3;
    static final long MIN_HEADROOM = 64L * 1024 * 1024;

    private final long totalBytes;
    private final Semaphore permits;

    private MemoryBudget(long totalBytes) {
        this.totalBytes = totalBytes;
        this.permits = new Semaphore(kib(totalBytes), true);
    }

    /**
     * @param memoryMb    the function's memory size, or 0 when not running under Lambda or the local host
     * @param maxHeapBytes {@link Runtime#maxMemory()}
     */
    static MemoryBudget of(int memoryMb, long maxHeapBytes) {
        long base = memoryMb > 0 ? Math.min((long) memoryMb * 1024 * 1024, maxHeapBytes) : maxHeapBytes;
        long headroom = Math.max(MIN_HEADROOM, base / 4);
        return new MemoryBudget(Math.max(base - headroom, 1024 * 1024));
    }

    long totalBytes() {
        return totalBytes;
    }

    /** The largest image that fits the budget alone: the per-image pixel limit follows the memory size. */
    long pixelLimit() {
        return totalBytes / ((long) BYTES_PER_PIXEL * RASTERS_AT_PEAK);
    }

    /** The estimated peak of a job whose largest raster, at any step, has {@code peakPixels} pixels. */
    static long cost(long peakPixels) {
        return peakPixels * BYTES_PER_PIXEL * RASTERS_AT_PEAK;
    }

    /** Permits for {@code bytes} (capped at the whole budget), waiting up to {@code wait}; empty if they did not come. */
    Optional<Permit> acquire(long bytes, Duration wait) throws InterruptedException {
        int n = Math.max(1, Math.min(kib(bytes), kib(totalBytes)));
        long waitNanos = Math.max(0, wait.toNanos());
        if (!permits.tryAcquire(n, waitNanos, TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        return Optional.of(new Permit(n));
    }

    /** KiB free now, for logs and tests. */
    long availableBytes() {
        return (long) permits.availablePermits() * 1024;
    }

    private static int kib(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024);
    }

    @Override
    public String toString() {
        return "MemoryBudget[" + totalBytes / (1024 * 1024) + " MiB]";
    }

    /** Held while a job's pixels are in memory; closing gives them back (once). */
    final class Permit implements AutoCloseable {
        private final int kib;
        private boolean released;

        private Permit(int kib) {
            this.kib = kib;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                permits.release(kib);
            }
        }
    }
}
