package io.durablejobs.core.breaker;

import io.durablejobs.core.config.Settings;
import java.time.Duration;

/**
 * A circuit breaker's settings, in resilience4j's vocabulary and with its defaults
 * ({@code CircuitBreakerConfig}). The window is time-based (resilience4j's TIME_BASED: the last
 * {@code slidingWindowSize} seconds), because a cluster-wide count-based ring would cost more per call.
 */
public record BreakerConfig(
        float failureRateThreshold,
        float slowCallRateThreshold,
        Duration slowCallDurationThreshold,
        int minimumNumberOfCalls,
        int slidingWindowSize,
        Duration waitDurationInOpenState,
        int permittedNumberOfCallsInHalfOpenState,
        Duration halfOpenProbeLease) {

    public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50;
    public static final float DEFAULT_SLOW_CALL_RATE_THRESHOLD = 100;
    public static final Duration DEFAULT_SLOW_CALL_DURATION_THRESHOLD = Duration.ofSeconds(60);
    public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 100;
    public static final int DEFAULT_SLIDING_WINDOW_SIZE = 100;
    public static final Duration DEFAULT_WAIT_DURATION_IN_OPEN_STATE = Duration.ofSeconds(60);
    public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 10;

    public static final BreakerConfig DEFAULT = new BreakerConfig(DEFAULT_FAILURE_RATE_THRESHOLD, DEFAULT_SLOW_CALL_RATE_THRESHOLD,
            DEFAULT_SLOW_CALL_DURATION_THRESHOLD, DEFAULT_MINIMUM_NUMBER_OF_CALLS, DEFAULT_SLIDING_WINDOW_SIZE,
            DEFAULT_WAIT_DURATION_IN_OPEN_STATE, DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE, Duration.ofMinutes(2));

    public BreakerConfig {
        if (failureRateThreshold <= 0 || failureRateThreshold > 100 || slowCallRateThreshold <= 0 || slowCallRateThreshold > 100) {
            throw new IllegalArgumentException("rate thresholds must be in (0, 100]");
        }
        if (minimumNumberOfCalls < 1 || slidingWindowSize < 1 || permittedNumberOfCallsInHalfOpenState < 1) {
            throw new IllegalArgumentException("counts and window must be >= 1");
        }
    }

    /** Reads {@code JOBS_BREAKER_*} settings over the defaults. */
    public static BreakerConfig from(Settings s) {
        return new BreakerConfig(
                s.get("JOBS_BREAKER_FAILURE_RATE_THRESHOLD", "50", Float::parseFloat),
                s.get("JOBS_BREAKER_SLOW_CALL_RATE_THRESHOLD", "100", Float::parseFloat),
                s.duration("JOBS_BREAKER_SLOW_CALL_DURATION_THRESHOLD", "60s"),
                s.integer("JOBS_BREAKER_MINIMUM_NUMBER_OF_CALLS", DEFAULT_MINIMUM_NUMBER_OF_CALLS, 1, 1_000_000),
                s.integer("JOBS_BREAKER_SLIDING_WINDOW_SECONDS", DEFAULT_SLIDING_WINDOW_SIZE, 1, 3600),
                s.duration("JOBS_BREAKER_WAIT_IN_OPEN_STATE", "60s"),
                s.integer("JOBS_BREAKER_PERMITTED_CALLS_IN_HALF_OPEN_STATE", DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE, 1, 1000),
                s.duration("JOBS_BREAKER_HALF_OPEN_PROBE_LEASE", "2m"));
    }
}
