package io.durablejobs.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a call may keep retrying in all ({@code budget}) and how it backs off when the server gives no
 * {@code Retry-After}: exponential from {@code baseDelay}, capped at {@code maxDelay}, with full jitter so
 * many clients do not retry in step. A {@code Retry-After} the budget cannot wait out ends the retries at
 * once: the caller gets the problem (with its {@code retryAfter}) instead of a sleep that cannot succeed.
 */
public record RetryPolicy(Duration budget, Duration baseDelay, Duration maxDelay) {
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(5);
    public static final RetryPolicy DEFAULT = new RetryPolicy(DEFAULT_BUDGET, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY);
    public static final RetryPolicy NONE = new RetryPolicy(Duration.ZERO, DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY);

    public RetryPolicy {
        if (budget.isNegative() || baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("budget >= 0 and 0 <= baseDelay <= maxDelay");
        }
    }

    /** The wait before retry number {@code attempt} (1 = the first retry). */
    Duration backoff(int attempt, Duration retryAfter) {
        if (retryAfter != null) {
            return retryAfter;
        }
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() * (1L << Math.min(20, attempt - 1)));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }
}
