package io.durablejobs.lambda;

import io.durablejobs.core.breaker.BreakerState;
import io.durablejobs.core.breaker.BreakerTransition;
import io.durablejobs.core.metrics.MetricNames;
import io.durablejobs.core.metrics.Metrics;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Breaker metrics of a worker environment: {@code BreakerTransitions} per breaker and new state as they
 * happen, and {@code BreakerOpen} (1 while any breaker this environment saw open is not closed again,
 * else 0) after every batch, which infra's alarm watches.
 */
final class BreakerStates {
    private final Metrics metrics;
    private final Set<String> notClosed = ConcurrentHashMap.newKeySet();

    BreakerStates(Metrics metrics) {
        this.metrics = metrics;
    }

    void changed(BreakerTransition t) {
        metrics.count(MetricNames.BREAKER_TRANSITION, 1, Map.of(MetricNames.DIM_BREAKER, t.breaker(), MetricNames.DIM_STATE, t.to().wire()));
        if (t.to() == BreakerState.CLOSED) {
            notClosed.remove(t.breaker());
        } else {
            notClosed.add(t.breaker());
        }
    }

    void report() {
        metrics.gauge(MetricNames.BREAKER_OPEN, notClosed.isEmpty() ? 0 : 1, "None", Map.of());
    }
}
