package io.durablejobs.lambda;

import io.durablejobs.core.config.Settings;
import io.durablejobs.core.dlq.DeadLetterStores;
import io.durablejobs.core.metrics.MetricNames;
import io.durablejobs.observability.TracingSettings;
import java.util.Locale;
import java.util.Map;

/**
 * Where a function's metrics and spans go.
 *
 * @param push             {@code JOBS_METRICS_PUSH}: {@code cloudwatch} (PutMetricData; the default when
 *                         {@code AWS_ENDPOINT_URL} or {@code JOBS_DEAD_LETTER_BUCKET} is set, i.e. LocalStack or
 *                         AWS), {@code local} (the local host's metrics view in Redis; the default otherwise) or
 *                         {@code off}
 * @param emf              {@code JOBS_METRICS_EMF}: EMF lines to {@code stdout} (the default with cloudwatch:
 *                         CloudWatch Logs turns them into metrics), to the {@code log} at debug level (the default
 *                         otherwise, so the host's console stays readable) or {@code off}
 * @param metricsNamespace {@code JOBS_METRICS_NAMESPACE}: the CloudWatch namespace ({@code DurableJobs})
 * @param tracing          where spans go ({@link TracingSettings})
 */
public record TelemetrySettings(String push, String emf, String metricsNamespace, TracingSettings tracing) {

    /** Local defaults: the metrics view, EMF to the log at debug level, spans to the log. */
    public static final TelemetrySettings DEFAULTS = new TelemetrySettings("local", "log", MetricNames.DEFAULT_NAMESPACE,
            TracingSettings.DEFAULTS);

    /** Reads and checks: a {@code ConfigException} names every bad setting. */
    public static TelemetrySettings from(Map<String, String> env) {
        return Settings.readChecked(env, TelemetrySettings::read);
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static TelemetrySettings read(Settings s) {
        boolean aws = s.string("AWS_ENDPOINT_URL", null) != null || s.string(DeadLetterStores.BUCKET, null) != null;
        String push = s.get("JOBS_METRICS_PUSH", aws ? "cloudwatch" : "local", v -> oneOf(v, "cloudwatch", "local", "off"));
        String emf = s.get("JOBS_METRICS_EMF", push.equals("cloudwatch") ? "stdout" : "log", v -> oneOf(v, "stdout", "log", "off"));
        String namespace = s.string("JOBS_METRICS_NAMESPACE", MetricNames.DEFAULT_NAMESPACE);
        return new TelemetrySettings(push, emf, namespace, TracingSettings.read(s));
    }

    private static String oneOf(String v, String... allowed) {
        String m = v.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(m)) {
                return m;
            }
        }
        throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
    }
}
