package io.durablejobs.observability;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Spans to the log, one line each (logger {@code io.durablejobs.trace}): the local default, and readable
 * in CloudWatch Logs where no collector runs. Attribute values are ids and names, never payloads.
 * Failed spans log at INFO; the rest at DEBUG, since a busy worker would otherwise write a line per job
 * (the worker logs one summary line per batch at INFO instead).
 */
public final class LogSpanExporter implements SpanExporter {
    private static final Logger LOG = LoggerFactory.getLogger("io.durablejobs.trace");

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        for (SpanData s : spans) {
            boolean failed = s.getStatus().getStatusCode() == StatusCode.ERROR;
            if (!failed && !LOG.isDebugEnabled()) {
                continue;
            }
            long micros = TimeUnit.NANOSECONDS.toMicros(s.getEndEpochNanos() - s.getStartEpochNanos());
            LOG.atLevel(failed ? Level.INFO : Level.DEBUG).log("span name=\"{}\" traceId={} spanId={} parentSpanId={} durationMs={} status={} attributes={}", s.getName(), s.getTraceId(),
                    s.getSpanId(), s.getParentSpanContext().isValid() ? s.getParentSpanId() : "-", micros / 1000.0, s.getStatus().getStatusCode(),
                    s.getAttributes().asMap());
        }
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
