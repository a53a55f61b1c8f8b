package io.durablejobs.core.api;

import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * How far ahead a job may be scheduled ({@code JOBS_MAX_DELAY}, 30 days by default, at most 365), and how
 * far in the past a {@code runAt} may lie and still mean "now": a client that asks for 12:00:00 and is
 * heard at 12:00:00.300 wants its job run, not a 400.
 */
public record DelayLimits(Duration maxDelay, Duration pastGrace) {
    public static final String MAX_DELAY = "JOBS_MAX_DELAY";
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofDays(30);
    public static final Duration DEFAULT_PAST_GRACE = Duration.ofSeconds(5);
    public static final DelayLimits DEFAULT = new DelayLimits(DEFAULT_MAX_DELAY, DEFAULT_PAST_GRACE);

    public static DelayLimits from(Map<String, String> env) {
        return Settings.readChecked(env, DelayLimits::read);
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static DelayLimits read(Settings s) {
        Duration max = s.duration(MAX_DELAY, "30d");
        if (max.compareTo(Duration.ofSeconds(1)) < 0 || max.compareTo(Duration.ofDays(365)) > 0) {
            s.problem(MAX_DELAY + "=" + max + ": must be between 1s and 365d");
        }
        return new DelayLimits(max, DEFAULT_PAST_GRACE);
    }
}
