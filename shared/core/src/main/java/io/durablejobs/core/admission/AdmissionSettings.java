package io.durablejobs.core.admission;

import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The submit function's load settings: per-tenant rate and burst, the global budget, and the queue
 * depth above which a type's submits are shed with 503.
 *
 * @param tenant         each tenant's submit rate and burst ({@code JOBS_RATE_TENANT_PER_SECOND} 100,
 *                       {@code JOBS_RATE_TENANT_BURST} 200; a rate of 0 is unlimited)
 * @param global         the whole platform's budget ({@code JOBS_RATE_GLOBAL_PER_SECOND} 2000, {@code JOBS_RATE_GLOBAL_BURST} 4000)
 * @param shedQueueDepth a type's queue depth at which its submits are shed ({@code JOBS_SHED_QUEUE_DEPTH} 100000, 0 = off)
 * @param depthCacheFor  how long a queue depth read is reused ({@code JOBS_SHED_DEPTH_CACHE} 1s)
 */
public record AdmissionSettings(RateLimit tenant, RateLimit global, long shedQueueDepth, Duration depthCacheFor) {

    /** Every setting at its default. */
    public static final AdmissionSettings DEFAULTS = from(Map.of());

    /** Reads and checks: a {@code ConfigException} names every bad setting. */
    public static AdmissionSettings from(Map<String, String> env) {
        return Settings.readChecked(env, AdmissionSettings::read);
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static AdmissionSettings read(Settings s) {
        RateLimit tenant = rate(s, "JOBS_RATE_TENANT", "100", 200, 1_000_000);
        RateLimit global = rate(s, "JOBS_RATE_GLOBAL", "2000", 4000, 10_000_000);
        long shed = s.get("JOBS_SHED_QUEUE_DEPTH", "100000", v -> {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new IllegalArgumentException("must be 0 (off) or more");
            }
            return n;
        });
        Duration cache = s.duration("JOBS_SHED_DEPTH_CACHE", "1s");
        return new AdmissionSettings(tenant, global, shed, cache);
    }

    /** {@code <prefix>_PER_SECOND} and {@code <prefix>_BURST}; a limited rate needs a burst of at least 1. */
    private static RateLimit rate(Settings s, String prefix, String perSecondDefault, int burstDefault, int burstMax) {
        double perSecond = s.get(prefix + "_PER_SECOND", perSecondDefault, v -> {
            double d = Double.parseDouble(v);
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("must be 0 (unlimited) or a positive number");
            }
            return d;
        });
        int burst = s.integer(prefix + "_BURST", burstDefault, 0, burstMax);
        if (perSecond > 0 && burst < 1) {
            s.problem(prefix + "_BURST=0: a limited rate needs a burst of at least 1");
            burst = 1;
        }
        return new RateLimit(perSecond, burst);
    }
}
