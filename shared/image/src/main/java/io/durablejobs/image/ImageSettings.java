package io.durablejobs.image;

import io.durablejobs.core.blob.BlobStores;
import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The worker's settings for {@code image.transform}, read once at start.
 *
 * @param maxPixels      largest width × height decoded (decompression bombs are refused from the header)
 * @param maxSourceBytes largest input read, from a URL or a blob
 * @param fetchTimeout   cap on fetching a URL source
 * @param memoryMb       the function's memory size ({@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}, set by Lambda and the
 *                       local host; 0 when absent): sizes the {@link MemoryBudget}, which lowers {@code maxPixels}
 *                       to what the memory holds
 */
public record ImageSettings(long maxPixels, long maxSourceBytes, Duration fetchTimeout, boolean allowPrivateNetworks, Duration urlTtl,
                            int memoryMb) {
    public static final String MAX_PIXELS = "JOBS_IMAGE_MAX_PIXELS";
    public static final String MAX_SOURCE_BYTES = "JOBS_IMAGE_MAX_SOURCE_BYTES";
    public static final String FETCH_TIMEOUT = "JOBS_IMAGE_FETCH_TIMEOUT";
    public static final String ALLOW_PRIVATE_NETWORKS = ImageTransformSpec.ALLOW_PRIVATE_NETWORKS;
    public static final String FUNCTION_MEMORY = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    public static final long DEFAULT_MAX_SOURCE_BYTES = 32L * 1024 * 1024;

    public static ImageSettings from(Map<String, String> env) {
        Settings s = new Settings(env);
        long maxPixels = s.get(MAX_PIXELS, Long.toString(DEFAULT_MAX_PIXELS), v -> positive(Long.parseLong(v), 400_000_000L));
        long maxBytes = s.get(MAX_SOURCE_BYTES, Long.toString(DEFAULT_MAX_SOURCE_BYTES), v -> positive(Long.parseLong(v), 512L * 1024 * 1024));
        Duration timeout = s.duration(FETCH_TIMEOUT, "20s");
        if (timeout.isZero() || timeout.isNegative()) {
            s.problem(FETCH_TIMEOUT + "=" + timeout + ": must be positive");
        }
        boolean allowPrivate = s.bool(ALLOW_PRIVATE_NETWORKS, false);
        Duration ttl = BlobStores.urlTtl(env);
        int memoryMb = s.integer(FUNCTION_MEMORY, 0, 0, 10_240);
        s.check();
        return new ImageSettings(maxPixels, maxBytes, timeout, allowPrivate, ttl, memoryMb);
    }

    private static long positive(long v, long max) {
        if (v < 1 || v > max) {
            throw new IllegalArgumentException("must be between 1 and " + max);
        }
        return v;
    }
}
