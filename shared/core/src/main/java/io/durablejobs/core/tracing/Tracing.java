package io.durablejobs.core.tracing;

import io.durablejobs.core.api.Traceparent;
import java.util.Map;

/**
 * Spans, without naming a tracing library: the core starts spans as children of a W3C
 * {@code traceparent} and passes the span's own {@code traceparent} on (in AMQP headers), so one trace
 * runs from the submit call through every retry to the dead-letter record. The OpenTelemetry adapter
 * exports them (to the log locally, OTLP when configured); {@link #NONE} only keeps the ids flowing.
 */
public interface Tracing {

    /** Starts a span under {@code parentTraceparent} (a new trace when null or invalid). */
    TraceSpan start(String name, String parentTraceparent, Map<String, String> attributes);

    Tracing NONE = (name, parent, attributes) -> TraceSpan.passThrough(Traceparent.continueOrStart(parent));
}
