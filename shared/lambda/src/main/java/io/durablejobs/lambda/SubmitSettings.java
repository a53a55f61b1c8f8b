package io.durablejobs.lambda;

import io.durablejobs.core.admission.AdmissionSettings;
import io.durablejobs.core.api.DelayLimits;
import io.durablejobs.core.config.Settings;
import io.durablejobs.core.schedule.ScheduleSettings;
import java.util.Map;

/**
 * The submit function's own settings, beside the platform's.
 *
 * @param delays             how far ahead a job may be scheduled ({@code JOBS_MAX_DELAY}, 30d)
 * @param admission          rate limits and load shedding ({@code JOBS_RATE_*}, {@code JOBS_SHED_*})
 * @param schedules          recurring schedules' limits ({@code JOBS_SCHEDULE*})
 * @param plainHttpCallbacks whether a {@code callbackUrl} may be plain http: only where webhooks may reach private
 *                           networks ({@code JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS}, the switch of webhook.deliver, which
 *                           delivers callbacks): a receiver on the developer's machine
 */
public record SubmitSettings(DelayLimits delays, AdmissionSettings admission, ScheduleSettings schedules, boolean plainHttpCallbacks) {

    public SubmitSettings(DelayLimits delays, AdmissionSettings admission, ScheduleSettings schedules) {
        this(delays, admission, schedules, false);
    }

    /** Every setting at its default. */
    public static final SubmitSettings DEFAULTS = from(Map.of());

    /** Reads and checks: a {@code ConfigException} names every bad setting. */
    public static SubmitSettings from(Map<String, String> env) {
        return Settings.readChecked(env, SubmitSettings::read);
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static SubmitSettings read(Settings s) {
        return new SubmitSettings(DelayLimits.read(s), AdmissionSettings.read(s), ScheduleSettings.read(s),
                s.bool("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", false));
    }
}
