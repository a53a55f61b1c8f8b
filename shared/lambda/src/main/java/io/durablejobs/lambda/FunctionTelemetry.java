package io.durablejobs.lambda;

import io.durablejobs.adapters.metrics.RedisMetricsView;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.core.config.Providers;
import io.durablejobs.core.metrics.EmfMetrics;
import io.durablejobs.core.metrics.Metrics;
import io.durablejobs.core.metrics.MetricsPusher;
import io.durablejobs.core.metrics.MetricsPusherProvider;
import io.durablejobs.core.metrics.TeeMetrics;
import io.durablejobs.core.tracing.Tracing;
import io.durablejobs.observability.OpenTelemetryTracing;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function's metrics and spans, built once per execution environment from its {@link TelemetrySettings}.
 * The CloudWatch pusher's client is opened on the first push, from the {@link MetricsPusherProvider} of
 * that kind, so only the functions that push (the DLQ consumer) carry the CloudWatch module. In local mode
 * the metrics also go to the local host's metrics view. EMF lines and buffered spans are written at most
 * once a second ({@link #EMF_INTERVAL}), adding up the invocations in between; with EMF to the log, nothing is
 * built when logger {@code io.durablejobs.emf} is not at debug as the environment starts.
 */
public final class FunctionTelemetry implements AutoCloseable {
    /** How often EMF lines and buffered spans are written at most: once a second, not once per request. */
    static final Duration EMF_INTERVAL = Duration.ofSeconds(1);
    private final Metrics metrics;
    private final EmfMetrics emf;
    private volatile long lastSpanFlushNanos;
    private final Tracing tracing;
    /** Opened on its first push: functions that never push never build its client. */
    private final OpenedOnFirstUse<MetricsPusher> pusher;

    private FunctionTelemetry(Metrics metrics, EmfMetrics emf, Tracing tracing, Supplier<MetricsPusher> openPusher) {
        this.metrics = metrics;
        this.emf = emf;
        this.tracing = tracing;
        this.pusher = new OpenedOnFirstUse<>(openPusher, MetricsPusher::close);
    }

    /**
     * @param env the function's environment, which the pusher's provider reads its own settings from
     */
    public static FunctionTelemetry open(TelemetrySettings settings, Map<String, String> env, String jobsNamespace, RedisSession redis,
                                         String functionName) {
        String push = settings.push();
        Tracing tracing = settings.tracing().open(functionName);
        RedisMetricsView view = push.equals("local") ? new RedisMetricsView(redis.commands(), jobsNamespace) : null;
        List<Metrics> targets = new ArrayList<>();
        Logger emfLog = LoggerFactory.getLogger("io.durablejobs.emf");
        Consumer<String> emfOut = switch (settings.emf()) {
            case "stdout" -> System.out::println;
            // Lines nobody would see are not built at all.
            case "log" -> emfLog.isDebugEnabled() ? emfLog::debug : null;
            default -> null;
        };
        EmfMetrics emfMetrics = null;
        if (emfOut != null) {
            emfMetrics = new EmfMetrics(settings.metricsNamespace(), jobsNamespace, emfOut, Clock.systemUTC(), EMF_INTERVAL);
            targets.add(emfMetrics);
        }
        if (view != null) {
            targets.add(view);
        }
        Supplier<MetricsPusher> pusher = switch (push) {
            case "local" -> () -> view;
            case "off" -> () -> MetricsPusher.NONE;
            default -> () -> Providers.find(MetricsPusherProvider.class, Thread.currentThread().getContextClassLoader(),
                    MetricsPusherProvider::kind, "JOBS_METRICS_PUSH", push, "module jobs-" + push + "-metrics")
                    .open(env, settings.metricsNamespace(), jobsNamespace);
        };
        return new FunctionTelemetry(new TeeMetrics(targets), emfMetrics, tracing, pusher);
    }

    public Metrics metrics() {
        return metrics;
    }

    public Tracing tracing() {
        return tracing;
    }

    /** PutMetricData (or the local view): for the DLQ consumer's alarm metrics. */
    public MetricsPusher pusher() {
        return pusher.get();
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
        pusher.close();
    }
}
