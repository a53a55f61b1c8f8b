package io.durablejobs.core.retry;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How often and how far apart a type retries: exponential backoff with full jitter (AWS Architecture
 * Blog, "Exponential Backoff And Jitter"): delay = random(0, min(cap, base * 2^(attempt-1))).
 *
 * @param maxAttempts total runs allowed, the first included (so 5 means 1 try + 4 retries)
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMinutes(10);
    public static final RetryPolicy DEFAULT = new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (baseDelay.isNegative() || baseDelay.isZero() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 < baseDelay <= maxDelay");
        }
    }

    /** Whether a job that has just failed its {@code attempt}-th run may run again. */
    public boolean mayRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** The uncapped-by-jitter ceiling for the delay after the {@code attempt}-th failure (1-based). */
    public Duration ceilingAfter(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = baseDelay.toMillis() << shift;
        if (millis <= 0 || millis > maxDelay.toMillis()) {
            return maxDelay;
        }
        return Duration.ofMillis(millis);
    }

    /** Full jitter: uniform in [0, ceiling]. {@code random} yields values in [0, 1). */
    public Duration delayAfter(int attempt, DoubleSupplier random) {
        long ceiling = ceilingAfter(attempt).toMillis();
        return Duration.ofMillis((long) Math.floor(random.getAsDouble() * (ceiling + 1)));
    }
}
