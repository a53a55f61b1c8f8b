package io.durablejobs.core.metrics;

import java.util.List;
import java.util.Map;

/**
 * Pushes a few metrics at once with an API call (PutMetricData on AWS), for the metrics alarms must see
 * within a minute whatever the log pipeline does: the DLQ consumer's DeadLetters, DlqDepth and
 * DlqOldestAgeSeconds. Locally (no AWS endpoint) the implementation is the local host's metrics view.
 */
public interface MetricsPusher extends AutoCloseable {

    /** One datum: name, value, unit (CloudWatch's names: Count, Seconds, None...), dimensions. */
    record Datum(String name, double value, String unit, Map<String, String> dimensions) {
    }

    /** @throws RuntimeException when the push failed; callers log it and carry on */
    void push(List<Datum> data);

    @Override
    default void close() {
    }

    MetricsPusher NONE = data -> { };
}
