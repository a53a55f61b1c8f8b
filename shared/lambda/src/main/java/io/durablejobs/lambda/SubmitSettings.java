package io.durablejobs.lambda;

import io.durablejobs.core.admission.AdmissionSettings;
import io.durablejobs.core.api.DelayLimits;
import io.durablejobs.core.blob.BlobRoutes;
import io.durablejobs.core.config.Settings;
import io.durablejobs.core.schedule.ScheduleSettings;
import java.time.Duration;
import java.util.Map;

/**
 * The submit function's own settings, beside the platform's.
 *
 * @param delays             how far ahead a job may be scheduled ({@code JOBS_MAX_DELAY}, 30d)
 * @param admission          rate limits and load shedding ({@code JOBS_RATE_*}, {@code JOBS_SHED_*})
 * @param schedules          recurring schedules' limits ({@code JOBS_SCHEDULE*})
 * @param maxUploadBytes     the largest blob upload ({@code JOBS_BLOB_MAX_UPLOAD_BYTES}, 4 MiB)
 * @param bulkReplayInterval one bulk dead-letter replay per tenant per this long ({@code JOBS_DLQ_BULK_REPLAY_INTERVAL}, 10s)
 * @param bulkReplayMax      the most jobs one bulk replay replays ({@code JOBS_DLQ_BULK_REPLAY_MAX}, 1000)
 */
public record SubmitSettings(DelayLimits delays, AdmissionSettings admission, ScheduleSettings schedules, int maxUploadBytes,
                             Duration bulkReplayInterval, int bulkReplayMax) {

    /** Every setting at its default. */
    public static final SubmitSettings DEFAULTS = from(Map.of());

    /** Reads and checks: a {@code ConfigException} names every bad setting. */
    public static SubmitSettings from(Map<String, String> env) {
        return Settings.readChecked(env, SubmitSettings::read);
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static SubmitSettings read(Settings s) {
        return new SubmitSettings(DelayLimits.read(s), AdmissionSettings.read(s), ScheduleSettings.read(s), BlobRoutes.maxUploadBytes(s),
                s.duration("JOBS_DLQ_BULK_REPLAY_INTERVAL", "10s"), s.integer("JOBS_DLQ_BULK_REPLAY_MAX", 1000, 1, 100_000));
    }
}
