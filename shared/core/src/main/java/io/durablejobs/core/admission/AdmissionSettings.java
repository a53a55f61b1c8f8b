package io.durablejobs.core.admission;

import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The submit function's load settings: per-tenant rate and burst, the global budget, and the queue
 * depth above which a type's submits are shed with 503.
 */
public record AdmissionSettings(RateLimit tenant, RateLimit global, long shedQueueDepth, Duration depthCacheFor) {

    public static AdmissionSettings from(Map<String, String> env) {
        Settings s = new Settings(env);
        RateLimit tenant = new RateLimit(s.get("JOBS_RATE_TENANT_PER_SECOND", "100", Double::parseDouble),
                s.integer("JOBS_RATE_TENANT_BURST", 200, 0, 1_000_000));
        RateLimit global = new RateLimit(s.get("JOBS_RATE_GLOBAL_PER_SECOND", "2000", Double::parseDouble),
                s.integer("JOBS_RATE_GLOBAL_BURST", 4000, 0, 10_000_000));
        long shed = s.get("JOBS_SHED_QUEUE_DEPTH", "100000", Long::parseLong);
        Duration cache = s.duration("JOBS_SHED_DEPTH_CACHE", "1s");
        s.check();
        return new AdmissionSettings(tenant, global, shed, cache);
    }
}
