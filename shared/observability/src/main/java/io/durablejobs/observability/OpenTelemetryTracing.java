package io.durablejobs.observability;

import io.durablejobs.core.tracing.TraceSpan;
import io.durablejobs.core.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The core's {@link Tracing} on the OpenTelemetry API and SDK. A span's parent is the W3C
 * {@code traceparent} the core hands over (from the HTTP request or the AMQP headers), never an implicit
 * thread-local context, so a trace survives every hop through the broker, including retries and the DLQ.
 */
public final class OpenTelemetryTracing implements Tracing, AutoCloseable {
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    public OpenTelemetryTracing(SdkTracerProvider provider) {
        this.provider = provider;
        this.tracer = provider.get("io.durablejobs");
    }

    @Override
    public TraceSpan start(String name, String parentTraceparent, Map<String, String> attributes) {
        Context parent = parentTraceparent == null ? Context.root()
                : W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of("traceparent", parentTraceparent), GETTER);
        var builder = tracer.spanBuilder(name).setParent(parent);
        attributes.forEach((k, v) -> {
            if (v != null) {
                builder.setAttribute(AttributeKey.stringKey(k), v);
            }
        });
        Span span = builder.startSpan();
        return new OtelSpan(span);
    }

    /** Exports what is buffered (call at the end of an invocation: Lambda may freeze the process after it). */
    public void flush() {
        provider.forceFlush().join(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        provider.close();
    }

    private static final class OtelSpan implements TraceSpan {
        private final Span span;

        OtelSpan(Span span) {
            this.span = span;
        }

        @Override
        public String traceparent() {
            SpanContext c = span.getSpanContext();
            return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
        }

        @Override
        public String traceId() {
            return span.getSpanContext().getTraceId();
        }

        @Override
        public void attribute(String key, String value) {
            if (value != null) {
                span.setAttribute(key, value);
            }
        }

        @Override
        public void error(String message) {
            span.setStatus(StatusCode.ERROR, message);
        }

        @Override
        public void close() {
            span.end();
        }
    }

}
