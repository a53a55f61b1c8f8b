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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * A function's metrics and spans, built once per execution environment from its {@link TelemetrySettings}.
 * The CloudWatch pusher's client is opened on the first push, from the {@link MetricsPusherProvider} of
 * that kind, so only the functions that push (the DLQ consumer) carry the CloudWatch module. In local mode
 * the metrics also go to the local host's metrics view.
 */
public final class FunctionTelemetry implements AutoCloseable {
    private final Metrics metrics;
    private final Tracing tracing;
    /** Opened on its first push: functions that never push never build its client. */
    private final OpenedOnFirstUse<MetricsPusher> pusher;

    private FunctionTelemetry(Metrics metrics, Tracing tracing, Supplier<MetricsPusher> openPusher) {
        this.metrics = metrics;
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
        Consumer<String> emfOut = switch (settings.emf()) {
            case "stdout" -> System.out::println;
            case "log" -> line -> LoggerFactory.getLogger("io.durablejobs.emf").debug(line);
            default -> null;
        };
        if (emfOut != null) {
            targets.add(new EmfMetrics(settings.metricsNamespace(), jobsNamespace, emfOut, Clock.systemUTC()));
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
        return new FunctionTelemetry(new TeeMetrics(targets), tracing, pusher);
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

    /** At the end of each invocation: write the EMF lines and export buffered spans. */
    public void flush() {
        metrics.flush();
        if (tracing instanceof OpenTelemetryTracing otel) {
            otel.flush();
        }
    }

    @Override
    public void close() {
        flush();
        if (tracing instanceof OpenTelemetryTracing otel) {
            otel.close();
        }
        pusher.close();
    }
}
