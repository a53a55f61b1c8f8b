package io.durablejobs.core.tracing;

import io.durablejobs.core.api.Traceparent;

/** A started span: its {@code traceparent} (to propagate), a way to mark it failed, and its end. */
public interface TraceSpan extends AutoCloseable {

    String traceparent();

    default String traceId() {
        return Traceparent.traceId(traceparent());
    }

    default void attribute(String key, String value) {
    }

    default void error(String message) {
    }

    @Override
    void close();

    /** A span that records nothing and propagates {@code traceparent} unchanged. */
    static TraceSpan passThrough(String traceparent) {
        return new TraceSpan() {
            @Override
            public String traceparent() {
                return traceparent;
            }

            @Override
            public void close() {
            }
        };
    }
}
