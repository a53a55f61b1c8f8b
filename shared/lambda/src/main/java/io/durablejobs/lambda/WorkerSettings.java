package io.durablejobs.lambda;

import io.durablejobs.core.breaker.BreakerConfig;
import io.durablejobs.core.config.Settings;
import io.durablejobs.core.work.BatchRunner;
import java.time.Duration;
import java.util.Map;

/**
 * A worker function's own settings: how much it runs at once, the budgets of a batch and of a job, how long
 * jobs may wait on an open breaker, and the breaker settings ({@code JOBS_BREAKER_*}). Each worker function
 * serves one job type, so each of these is a per-type setting.
 *
 * @param concurrency  messages in flight at once in the environment (virtual threads, so I/O-bound jobs
 *                     cost no platform thread each); handed-on runs count until they end
 * @param perTarget    a downstream's starting limit of calls in flight; it then adapts (AIMD)
 * @param perTargetMax the most a downstream's limit can grow to
 * @param handOnAfter  the batch's budget: then unstarted messages are deferred and running ones handed on
 * @param jobBudget    one job's budget (also capped by the invocation's remaining time): a run past it fails
 *                     alone, as a timed-out attempt
 * @param maxDeferral  how long a job may wait on an open breaker before it dead-letters ({@code JOBS_BREAKER_MAX_DEFERRAL}, 1h)
 * @param minRunTime   a delivery with less time left in the invocation is handed on untouched ({@code JOBS_WORKER_MIN_RUN_TIME}, 1s)
 * @param completionEvents whether final outcomes are published on {@code <ns>.events} ({@code JOBS_COMPLETION_EVENTS}, true)
 */
public record WorkerSettings(int concurrency, int perTarget, int perTargetMax, Duration handOnAfter, Duration jobBudget,
                             Duration maxDeferral, Duration minRunTime, BreakerConfig breaker, boolean completionEvents) {

    /** Every setting at its default. */
    public static final WorkerSettings DEFAULTS = from(Map.of());

    /** Reads and checks: a {@code ConfigException} names every bad setting. */
    public static WorkerSettings from(Map<String, String> env) {
        return Settings.readChecked(env, WorkerSettings::read);
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static WorkerSettings read(Settings s) {
        int concurrency = s.integer("JOBS_WORKER_CONCURRENCY", 256, 1, 4096);
        int perTarget = s.integer("JOBS_WORKER_PER_TARGET", 16, 1, 4096);
        int perTargetMax = s.integer("JOBS_WORKER_PER_TARGET_MAX", 256, 1, 4096);
        Duration handOnAfter = s.duration("JOBS_WORKER_BATCH_BUDGET", "1s");
        Duration jobBudget = s.duration("JOBS_WORKER_JOB_BUDGET", "60s");
        Duration maxDeferral = s.duration("JOBS_BREAKER_MAX_DEFERRAL", "1h");
        Duration minRunTime = s.duration("JOBS_WORKER_MIN_RUN_TIME", "1s");
        BreakerConfig breaker;
        try {
            breaker = BreakerConfig.from(s);
        } catch (IllegalArgumentException e) {
            // The settings parsed but do not make a breaker together (a rate threshold of 0, say).
            s.problem("JOBS_BREAKER_*: " + e.getMessage());
            breaker = BreakerConfig.DEFAULT;
        }
        boolean completionEvents = s.bool("JOBS_COMPLETION_EVENTS", true);
        if (perTargetMax < perTarget) {
            s.problem("JOBS_WORKER_PER_TARGET_MAX=" + perTargetMax + ": must be at least JOBS_WORKER_PER_TARGET (" + perTarget + ")");
        }
        if (handOnAfter.isNegative() || handOnAfter.isZero()) {
            s.problem("JOBS_WORKER_BATCH_BUDGET=" + handOnAfter + ": must be more than 0");
        }
        if (jobBudget.isNegative() || jobBudget.isZero()) {
            s.problem("JOBS_WORKER_JOB_BUDGET=" + jobBudget + ": must be more than 0");
        }
        return new WorkerSettings(concurrency, perTarget, perTargetMax, handOnAfter, jobBudget, maxDeferral, minRunTime, breaker,
                completionEvents);
    }

    public BatchRunner.Settings runner() {
        return new BatchRunner.Settings(concurrency, perTarget, perTargetMax, handOnAfter, jobBudget);
    }
}
