package io.durablejobs.adapters.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisMetricsViewFieldTest {
    @Test
    void field_namesTheMetricAndItsDimensionsInKeyOrder() {
        assertThat(RedisMetricsView.field("JobsAccepted", Map.of())).isEqualTo("JobsAccepted|");
        assertThat(RedisMetricsView.field("JobsRejected", Map.of("Reason", "rate-limited"))).isEqualTo("JobsRejected|Reason=rate-limited");
        Map<String, String> unordered = new LinkedHashMap<>();
        unordered.put("Type", "noop");
        unordered.put("Outcome", "succeeded");
        assertThat(RedisMetricsView.field("JobsCompleted", unordered)).isEqualTo("JobsCompleted|Outcome=succeeded,Type=noop");
    }
}
