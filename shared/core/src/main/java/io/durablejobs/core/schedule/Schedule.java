package io.durablejobs.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A recurring schedule of one tenant. {@code nextRunAt} is the next tick not yet handled (null when the
 * cron has no further tick); {@code lastTickAt} and {@code lastJobId} the last tick that enqueued a job.
 */
public record Schedule(
        String id,
        String tenant,
        String cron,
        ZoneId timeZone,
        JobTemplate job,
        OverlapPolicy overlap,
        MissedTickPolicy missed,
        boolean paused,
        Instant createdAt,
        Instant nextRunAt,
        Instant lastTickAt,
        String lastJobId) {

    public Schedule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(timeZone, "timeZone");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(overlap, "overlap");
        Objects.requireNonNull(missed, "missed");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public Schedule withPaused(boolean p, Instant next) {
        return new Schedule(id, tenant, cron, timeZone, job, overlap, missed, p, createdAt, next, lastTickAt, lastJobId);
    }
}
