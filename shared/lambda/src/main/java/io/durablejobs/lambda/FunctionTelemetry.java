package io.durablejobs.lambda;

import io.durablejobs.adapters.metrics.RedisMetricsView;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.core.config.Settings;
import io.durablejobs.core.dlq.DeadLetterStores;
import io.durablejobs.core.metrics.EmfMetrics;
import io.durablejobs.core.metrics.MetricNames;
import io.durablejobs.core.metrics.Metrics;
import io.durablejobs.core.metrics.MetricsPusher;
import io.durablejobs.core.metrics.MetricsPusherProvider;
import io.durablejobs.core.metrics.TeeMetrics;
import io.durablejobs.core.tracing.Tracing;
import io.durablejobs.observability.OpenTelemetryTracing;
import io.durablejobs.observability.TracingSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * A function's metrics and spans, built once per execution environment.
 * <ul>
 *   <li>{@code JOBS_METRICS_PUSH}: {@code cloudwatch} (PutMetricData; the default when {@code AWS_ENDPOINT_URL} or
 *       {@code JOBS_DEAD_LETTER_BUCKET} is set, i.e. LocalStack or AWS; the client is opened on the first push,
 *       from the {@link MetricsPusherProvider} of that kind, so only the functions that push, the DLQ consumer,
 *       carry the CloudWatch module), {@code local} (the local host's metrics
 *       view in Redis; the default otherwise) or {@code off}.
 *   <li>{@code JOBS_METRICS_EMF}: EMF lines to {@code stdout} (default with cloudwatch: CloudWatch Logs turns
 *       them into metrics), to the {@code log} at debug level (default locally, so the host's console stays
 *       readable; nothing is built when logger {@code io.durablejobs.emf} is not at debug as the environment
 *       starts) or {@code off}. In local mode the same metrics also go to the metrics view. Lines are
 *       written at most once a second ({@link #EMF_INTERVAL}), adding up the invocations in between.
 *   <li>{@code JOBS_METRICS_NAMESPACE}: the CloudWatch namespace ({@code DurableJobs}).
 *   <li>Tracing: see {@link TracingSettings}.
 * </ul>
 */
public final class FunctionTelemetry implements AutoCloseable {
    /** How often EMF lines and buffered spans are written at most: once a second, not once per request. */
    static final java.time.Duration EMF_INTERVAL = java.time.Duration.ofSeconds(1);
    private final Metrics metrics;
    private final EmfMetrics emf;
    private volatile long lastSpanFlushNanos;
    private final Tracing tracing;
    /** Opens the pusher on its first use: functions that never push never build its client. */
    private final java.util.function.Supplier<MetricsPusher> openPusher;
    private volatile MetricsPusher pusher;
    private final RedisMetricsView view;

    private FunctionTelemetry(Metrics metrics, EmfMetrics emf, Tracing tracing, java.util.function.Supplier<MetricsPusher> openPusher,
            RedisMetricsView view) {
        this.metrics = metrics;
        this.emf = emf;
        this.tracing = tracing;
        this.openPusher = openPusher;
        this.view = view;
    }

    public static FunctionTelemetry open(Map<String, String> env, String jobsNamespace, RedisSession redis, String functionName) {
        Settings s = new Settings(env);
        boolean aws = s.string("AWS_ENDPOINT_URL", null) != null || s.string(DeadLetterStores.BUCKET, null) != null;
        String push = s.get("JOBS_METRICS_PUSH", aws ? "cloudwatch" : "local", v -> oneOf(v, "cloudwatch", "local", "off"));
        String emf = s.get("JOBS_METRICS_EMF", push.equals("cloudwatch") ? "stdout" : "log", v -> oneOf(v, "stdout", "log", "off"));
        String cwNamespace = s.string("JOBS_METRICS_NAMESPACE", MetricNames.DEFAULT_NAMESPACE);
        s.check();
        Tracing tracing = TracingSettings.open(env, functionName);
        RedisMetricsView view = push.equals("local") ? new RedisMetricsView(redis.commands(), jobsNamespace) : null;
        List<Metrics> targets = new ArrayList<>();
        org.slf4j.Logger emfLog = LoggerFactory.getLogger("io.durablejobs.emf");
        Consumer<String> emfOut = switch (emf) {
            case "stdout" -> System.out::println;
            // Lines nobody would see are not built at all.
            case "log" -> emfLog.isDebugEnabled() ? emfLog::debug : null;
            default -> null;
        };
        EmfMetrics emfMetrics = null;
        if (emfOut != null) {
            emfMetrics = new EmfMetrics(cwNamespace, jobsNamespace, emfOut, Clock.systemUTC(), EMF_INTERVAL);
            targets.add(emfMetrics);
        }
        if (view != null) {
            targets.add(view);
        }
        java.util.function.Supplier<MetricsPusher> pusher = switch (push) {
            case "local" -> () -> view;
            case "off" -> () -> MetricsPusher.NONE;
            default -> () -> provider(push).open(env, cwNamespace, jobsNamespace);
        };
        return new FunctionTelemetry(new TeeMetrics(targets), emfMetrics, tracing, pusher, view);
    }

    private static MetricsPusherProvider provider(String kind) {
        for (MetricsPusherProvider p : ServiceLoader.load(MetricsPusherProvider.class)) {
            if (p.kind().equals(kind)) {
                return p;
            }
        }
        throw new IllegalStateException("JOBS_METRICS_PUSH=" + kind + " but this function does not carry that pusher (module jobs-"
                + kind + "-metrics)");
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

    public Metrics metrics() {
        return metrics;
    }

    public Tracing tracing() {
        return tracing;
    }

    /** PutMetricData (or the local view): for the DLQ consumer's alarm metrics. */
    public MetricsPusher pusher() {
        MetricsPusher p = pusher;
        if (p == null) {
            synchronized (this) {
                if (pusher == null) {
                    pusher = openPusher.get();
                }
                p = pusher;
            }
        }
        return p;
    }

    /**
     * At the end of each invocation: EMF lines, the metrics view and buffered spans are written when their
     * interval has passed (a second), so a busy function writes them once a second, not once per request.
     */
    public void flush() {
        metrics.flush();
        if (tracing instanceof OpenTelemetryTracing otel) {
            long now = System.nanoTime();
            if (lastSpanFlushNanos == 0 || now - lastSpanFlushNanos >= EMF_INTERVAL.toNanos()) {
                lastSpanFlushNanos = now;
                otel.flush();
            }
        }
    }

    @Override
    public void close() {
        metrics.flush();
        if (emf != null) {
            emf.flushNow();
        }
        if (tracing instanceof OpenTelemetryTracing otel) {
            otel.flush();
        }
        if (tracing instanceof OpenTelemetryTracing otel) {
            otel.close();
        }
        MetricsPusher p = pusher;
        if (p != null) {
            p.close();
        }
    }
}
