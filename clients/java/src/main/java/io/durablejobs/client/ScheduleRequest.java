package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What {@code POST /v1/schedules} takes: a five-field Unix cron expression ({@code 0 9 * * 1-5}), an IANA
 * time zone (null: UTC), the job template, and the overlap and missed-tick policies (null: the API's
 * defaults, {@code skip} and {@code run_once}). The API validates the template as it would a submit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleRequest(String cron, String timeZone, Schedule.JobTemplate job, Schedule.Overlap overlap,
                              Schedule.MissedTicks missedTicks) {
    public ScheduleRequest {
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(job, "job");
        if (overlap == Schedule.Overlap.UNKNOWN || missedTicks == Schedule.MissedTicks.UNKNOWN) {
            throw new IllegalArgumentException("UNKNOWN is not a policy the API takes");
        }
    }

    public static ScheduleRequest of(String cron, String type, JsonNode payload) {
        return new ScheduleRequest(cron, null, new Schedule.JobTemplate(type, payload, null), null, null);
    }

    public ScheduleRequest withTimeZone(String zone) {
        return new ScheduleRequest(cron, zone, job, overlap, missedTicks);
    }

    public ScheduleRequest withPriority(int priority) {
        return new ScheduleRequest(cron, timeZone, new Schedule.JobTemplate(job.type(), job.payload(), priority), overlap, missedTicks);
    }

    public ScheduleRequest withOverlap(Schedule.Overlap o) {
        return new ScheduleRequest(cron, timeZone, job, o, missedTicks);
    }

    public ScheduleRequest withMissedTicks(Schedule.MissedTicks m) {
        return new ScheduleRequest(cron, timeZone, job, overlap, m);
    }
}
