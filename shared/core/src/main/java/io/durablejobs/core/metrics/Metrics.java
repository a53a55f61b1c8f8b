package io.durablejobs.core.metrics;

import java.util.Map;

/**
 * Counters, timings and gauges with dimensions. Recording is in-memory and cheap; {@link #flush()} (at
 * the end of an invocation) writes them out, as Embedded Metric Format log lines on Lambda: no API call
 * in the hot path. Implementations are thread-safe.
 */
public interface Metrics {

    void count(String name, double value, Map<String, String> dimensions);

    void millis(String name, double millis, Map<String, String> dimensions);

    void gauge(String name, double value, String unit, Map<String, String> dimensions);

    void flush();

    Metrics NONE = new Metrics() {
        @Override
        public void count(String name, double value, Map<String, String> dimensions) {
        }

        @Override
        public void millis(String name, double millis, Map<String, String> dimensions) {
        }

        @Override
        public void gauge(String name, double value, String unit, Map<String, String> dimensions) {
        }

        @Override
        public void flush() {
        }
    };
}
