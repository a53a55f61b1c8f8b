package io.durablejobs.core.breaker;

import io.durablejobs.core.config.Settings;
import java.time.Duration;

/**
 * A circuit breaker's settings, in resilience4j's vocabulary ({@code CircuitBreakerConfig}). The window is
 * time-based (resilience4j's TIME_BASED: the last {@code slidingWindowSize} seconds), because a
 * cluster-wide count-based ring would cost more per call.
 *
 * <p>The defaults are tuned for calls to other people's servers (webhooks), not resilience4j's generic
 * ones (100 calls, 60 s slow threshold), which let a hung host take some 25 minutes of timeouts to trip:
 * <ul>
 *   <li>5 calls minimum and 50% failing or slow: a host that fails or hangs is recognised after a handful
 *       of calls, cluster-wide, while one unlucky call among a healthy host's many does not trip it;</li>
 *   <li>slow means 5 s, half the 10 s webhook timeout: a host that has slowed to a crawl trips the breaker
 *       before its calls even time out, and a webhook that needs 5 s to acknowledge is not healthy;</li>
 *   <li>a 30 s window, so a burst of failures an hour ago does not weigh on the rate now, and a host
 *       trips within 30 s of going bad even at a low call rate;</li>
 *   <li>30 s open before probing, 3 probe calls: a restarting receiver is back in well under a minute,
 *       and a still-hung one costs 3 timed-out calls per half minute, not a batch's worth;</li>
 *   <li>a probe lease of 30 s (more than the 10 s webhook timeout): a probe whose worker died frees its
 *       slot by then.</li>
 * </ul>
 * Every setting is per worker function, so per job type: a type calling one internal service set to fail
 * slowly can set its own.
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
    public static final float DEFAULT_SLOW_CALL_RATE_THRESHOLD = 50;
    public static final Duration DEFAULT_SLOW_CALL_DURATION_THRESHOLD = Duration.ofSeconds(5);
    public static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 5;
    public static final int DEFAULT_SLIDING_WINDOW_SIZE = 30;
    public static final Duration DEFAULT_WAIT_DURATION_IN_OPEN_STATE = Duration.ofSeconds(30);
    public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 3;
    public static final Duration DEFAULT_HALF_OPEN_PROBE_LEASE = Duration.ofSeconds(30);

    public static final BreakerConfig DEFAULT = new BreakerConfig(DEFAULT_FAILURE_RATE_THRESHOLD, DEFAULT_SLOW_CALL_RATE_THRESHOLD,
            DEFAULT_SLOW_CALL_DURATION_THRESHOLD, DEFAULT_MINIMUM_NUMBER_OF_CALLS, DEFAULT_SLIDING_WINDOW_SIZE,
            DEFAULT_WAIT_DURATION_IN_OPEN_STATE, DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE, DEFAULT_HALF_OPEN_PROBE_LEASE);

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
                s.get("JOBS_BREAKER_SLOW_CALL_RATE_THRESHOLD", "50", Float::parseFloat),
                s.duration("JOBS_BREAKER_SLOW_CALL_DURATION_THRESHOLD", "5s"),
                s.integer("JOBS_BREAKER_MINIMUM_NUMBER_OF_CALLS", DEFAULT_MINIMUM_NUMBER_OF_CALLS, 1, 1_000_000),
                s.integer("JOBS_BREAKER_SLIDING_WINDOW_SECONDS", DEFAULT_SLIDING_WINDOW_SIZE, 1, 3600),
                s.duration("JOBS_BREAKER_WAIT_IN_OPEN_STATE", "30s"),
                s.integer("JOBS_BREAKER_PERMITTED_CALLS_IN_HALF_OPEN_STATE", DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE, 1, 1000),
                s.duration("JOBS_BREAKER_HALF_OPEN_PROBE_LEASE", "30s"));
    }
}
