package io.durablejobs.core.schedule;

import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * Schedule limits and scheduler timing, read once from the environment.
 *
 * @param maxPerTenant  schedules a tenant may hold ({@code JOBS_SCHEDULES_MAX_PER_TENANT}, 100)
 * @param minInterval   the shortest gap between two ticks a schedule may have ({@code JOBS_SCHEDULE_MIN_INTERVAL}, 1m)
 * @param missedGrace   how late a tick may be seen and still count as on time ({@code JOBS_SCHEDULE_MISSED_GRACE}, 2m:
 *                      the scheduler runs every minute, so one late or failed run is not yet "the platform was down")
 * @param batch         schedules handled per scheduler run ({@code JOBS_SCHEDULER_BATCH}, 500)
 */
public record ScheduleSettings(int maxPerTenant, Duration minInterval, Duration missedGrace, int batch) {
    public static final int DEFAULT_MAX_PER_TENANT = 100;
    public static final Duration DEFAULT_MIN_INTERVAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_MISSED_GRACE = Duration.ofMinutes(2);
    public static final int DEFAULT_BATCH = 500;

    public static ScheduleSettings defaults() {
        return new ScheduleSettings(DEFAULT_MAX_PER_TENANT, DEFAULT_MIN_INTERVAL, DEFAULT_MISSED_GRACE, DEFAULT_BATCH);
    }

    /** Every setting at its default. */
    public static final ScheduleSettings DEFAULTS = defaults();

    /** Reads and checks: a {@code ConfigException} names every bad setting. */
    public static ScheduleSettings from(Map<String, String> env) {
        return Settings.readChecked(env, ScheduleSettings::read);
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static ScheduleSettings read(Settings s) {
        int max = s.integer("JOBS_SCHEDULES_MAX_PER_TENANT", DEFAULT_MAX_PER_TENANT, 0, 100_000);
        Duration min = s.duration("JOBS_SCHEDULE_MIN_INTERVAL", "1m");
        Duration grace = s.duration("JOBS_SCHEDULE_MISSED_GRACE", "2m");
        int batch = s.integer("JOBS_SCHEDULER_BATCH", DEFAULT_BATCH, 1, 100_000);
        return new ScheduleSettings(max, min, grace, batch);
    }
}
