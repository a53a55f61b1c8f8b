package io.durablejobs.core.metrics;

import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** The same metrics to several places (EMF lines, and the local host's metrics view). */
public final class TeeMetrics implements Metrics {
    private final List<Metrics> targets;

    public TeeMetrics(List<Metrics> targets) {
        this.targets = List.copyOf(targets);
    }

    @Override
    public void count(String name, double value, Map<String, String> dimensions) {
        targets.forEach(t -> t.count(name, value, dimensions));
    }

    @Override
    public void millis(String name, double millis, Map<String, String> dimensions) {
        targets.forEach(t -> t.millis(name, millis, dimensions));
    }

    @Override
    public void gauge(String name, double value, String unit, Map<String, String> dimensions) {
        targets.forEach(t -> t.gauge(name, value, unit, dimensions));
    }

    @Override
    public void flush() {
        for (Metrics t : targets) {
            try {
                t.flush();
            } catch (RuntimeException e) {
                // Metrics must never fail a batch.
                LoggerFactory.getLogger(TeeMetrics.class).warn("metrics flush failed: {}", e.toString());
            }
        }
    }
}
