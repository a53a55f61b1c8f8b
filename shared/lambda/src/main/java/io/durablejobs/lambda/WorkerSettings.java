package io.durablejobs.lambda;

import io.durablejobs.core.breaker.BreakerConfig;
import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * A worker function's own settings: its bulkheads, how long jobs may wait on an open breaker, and the
 * breaker settings ({@code JOBS_BREAKER_*}).
 */
public record WorkerSettings(int concurrency, int perTarget, Duration maxDeferral, Duration minRunTime, BreakerConfig breaker) {

    public static WorkerSettings from(Map<String, String> env) {
        Settings s = new Settings(env);
        int concurrency = s.integer("JOBS_WORKER_CONCURRENCY", 8, 1, 256);
        int perTarget = s.integer("JOBS_WORKER_PER_TARGET", 2, 1, 256);
        Duration maxDeferral = s.duration("JOBS_BREAKER_MAX_DEFERRAL", "1h");
        Duration minRunTime = s.duration("JOBS_WORKER_MIN_RUN_TIME", "1s");
        BreakerConfig breaker = BreakerConfig.from(s);
        s.check();
        return new WorkerSettings(concurrency, perTarget, maxDeferral, minRunTime, breaker);
    }
}
