package io.durablejobs.core.metrics;

import io.durablejobs.core.api.Traceparent;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.tracing.TraceSpan;
import io.durablejobs.core.tracing.Tracing;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.core.work.Disposition;
import io.durablejobs.core.work.IncomingMessage;
import io.durablejobs.core.work.JobHeaders;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The worker's observer: log context (MDC {@code jobId}, {@code type}, {@code attempt}, {@code tenant},
 * {@code traceId}), one span per message under the message's {@code traceparent}, and metrics per type
 * (dispositions, handler duration). The ledger count of finished jobs is not here: it is part of the
 * worker's own hand-off, so a worker cannot be built that forgets it.
 */
public final class JobTelemetry implements WorkerObserver {
    private final Tracing tracing;
    private final Metrics metrics;

    public JobTelemetry(Tracing tracing, Metrics metrics) {
        this.tracing = tracing;
        this.metrics = metrics;
    }

    @Override
    public Scope received(IncomingMessage message) {
        String traceparent = message.header(JobHeaders.TRACEPARENT);
        put("traceId", Traceparent.traceId(traceparent));
        put("attempt", message.header(JobHeaders.ATTEMPT));
        put("tenant", message.header(JobHeaders.TENANT));
        put("jobId", message.messageId());
        Map<String, String> attrs = new HashMap<>();
        attrs.put("messaging.destination.name", String.valueOf(message.queue()));
        TraceSpan span = tracing.start("job.process", traceparent, attrs);
        return new MessageScope(span);
    }

    private final class MessageScope implements Scope {
        private final TraceSpan span;
        private JobEnvelope job;

        MessageScope(TraceSpan span) {
            this.span = span;
        }

        @Override
        public void decoded(JobEnvelope job, int attempt) {
            this.job = job;
            put("jobId", job.jobId());
            put("type", job.type());
            put("tenant", job.tenant());
            put("attempt", Integer.toString(attempt));
            span.attribute("jobs.job_id", job.jobId());
            span.attribute("jobs.type", job.type());
            span.attribute("jobs.tenant", job.tenant());
            span.attribute("jobs.attempt", Integer.toString(attempt));
        }

        @Override
        public void handled(JobEnvelope job, int attempt, Outcome outcome, Duration took) {
            metrics.millis(MetricNames.HANDLER_DURATION, took.toNanos() / 1e6, Map.of(MetricNames.DIM_TYPE, job.type()));
            if (outcome instanceof Outcome.Retry r) {
                span.error("retryable: " + r.error());
            } else if (outcome instanceof Outcome.DeadLetter d) {
                span.error(d.reason() + ": " + d.error());
            }
        }

        @Override
        public void disposed(Disposition d) {
            String type = job == null ? "unknown" : job.type();
            metrics.count(metricOf(d), 1, Map.of(MetricNames.DIM_TYPE, type));
            span.attribute("jobs.disposition", d.name().toLowerCase(Locale.ROOT));
        }

        @Override
        public void close() {
            span.close();
            for (String k : new String[] {"jobId", "type", "attempt", "tenant", "traceId"}) {
                MDC.remove(k);
            }
        }
    }

    static String metricOf(Disposition d) {
        return switch (d) {
            case SUCCEEDED -> MetricNames.SUCCEEDED;
            case RETRIED -> MetricNames.RETRIED;
            case DEFERRED -> MetricNames.DEFERRED;
            case DEAD_LETTERED -> MetricNames.DEAD_LETTERED;
            case SKIPPED -> MetricNames.SKIPPED;
            case HANDED_ON -> MetricNames.HANDED_ON;
        };
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }
}
