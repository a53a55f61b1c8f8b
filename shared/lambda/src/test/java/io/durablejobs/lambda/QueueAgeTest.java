package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.durablejobs.core.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueAgeTest {
    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void readsTheMappingsTimestampText_andEpochAndIso() {
        assertThat(QueueAge.parse("Jan 1, 1970, 12:33:41 AM")).isEqualTo(Instant.ofEpochSecond(2021));
        assertThat(QueueAge.parse("Nov 29, 2026, 11:58:30\u202fAM")).isEqualTo(Instant.parse("2026-11-29T11:58:30Z"));
        assertThat(QueueAge.parse("1796040000")).isEqualTo(Instant.ofEpochSecond(1796040000L));
        assertThat(QueueAge.parse("1796040000123")).isEqualTo(Instant.ofEpochMilli(1796040000123L));
        assertThat(QueueAge.parse("2026-11-29T11:00:00Z")).isEqualTo(Instant.parse("2026-11-29T11:00:00Z"));
        assertThat(QueueAge.parse("yesterday")).isNull();
        assertThat(QueueAge.parse(null)).isNull();
    }

    @Test
    void batchAge_isTheLongestWait_withoutTheRetryTiersPlannedDelay() {
        RabbitMQEvent event = event(
                message("Nov 29, 2026, 11:59:30 AM", null),     // waited 30 s
                message("Nov 29, 2026, 11:50:00 AM", "5m"),     // 10 min since the retry publish, 5 of them planned: 300 s
                message(null, null));                           // no timestamp: adds nothing
        assertThat(QueueAge.maxSeconds(event, NOW)).hasValueCloseTo(300.0, within(0.001));
    }

    @Test
    void noReadableTimestamp_emitsNothing_elseOneGaugePerBatchWithTheType() {
        List<String> emitted = new ArrayList<>();
        Metrics recording = new Metrics() {
            @Override
            public void count(String name, double value, Map<String, String> dimensions) {
            }

            @Override
            public void millis(String name, double millis, Map<String, String> dimensions) {
            }

            @Override
            public void gauge(String name, double value, String unit, Map<String, String> dimensions) {
                emitted.add(name + "=" + value + " " + unit + " " + dimensions);
            }

            @Override
            public void flush() {
            }
        };
        QueueAge.emit(event(message(null, null)), "webhook.deliver", recording, NOW);
        assertThat(emitted).isEmpty();
        QueueAge.emit(event(message("Nov 29, 2026, 11:59:00 AM", null)), "webhook.deliver", recording, NOW);
        assertThat(emitted).containsExactly("QueueAgeSeconds=60.0 Seconds {Type=webhook.deliver}");
    }

    @Test
    void tierLabels_areTheRetryTiersFormat() {
        assertThat(QueueAge.tierDelay("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(QueueAge.tierDelay("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(QueueAge.tierDelay("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(QueueAge.tierDelay("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(QueueAge.tierDelay("soon")).isEqualTo(Duration.ZERO);
    }

    private static RabbitMQEvent.RabbitMessage message(String timestamp, String tier) {
        RabbitMQEvent.BasicProperties p = new RabbitMQEvent.BasicProperties();
        p.setTimestamp(timestamp);
        Map<String, Object> headers = new HashMap<>();
        if (tier != null) {
            // as the mapping hands string headers over: {"bytes": [...]}
            List<Integer> bytes = new ArrayList<>();
            for (byte b : tier.getBytes(StandardCharsets.UTF_8)) {
                bytes.add((int) b);
            }
            headers.put("jobs-retry-tier", Map.of("bytes", bytes));
        }
        p.setHeaders(headers);
        RabbitMQEvent.RabbitMessage m = new RabbitMQEvent.RabbitMessage();
        m.setBasicProperties(p);
        m.setData("");
        return m;
    }

    private static RabbitMQEvent event(RabbitMQEvent.RabbitMessage... messages) {
        RabbitMQEvent e = new RabbitMQEvent();
        e.setRmqMessagesByQueue(Map.of("jobs.webhook.deliver::/", List.of(messages)));
        return e;
    }
}
