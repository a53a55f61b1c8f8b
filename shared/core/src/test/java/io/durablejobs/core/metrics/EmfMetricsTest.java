package io.durablejobs.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * EMF lines checked against the structure the Embedded Metric Format specification requires: a root
 * {@code _aws} with an integer {@code Timestamp} and a {@code CloudWatchMetrics} array of directives, each
 * with a {@code Namespace}, {@code Dimensions} (arrays of at most 30 names, each a string member of the
 * root) and {@code Metrics} (at most 100 definitions with a {@code Name} that is a root member holding a
 * number or an array of at most 100 numbers, and a valid {@code Unit}).
 */
class EmfMetricsTest {
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
            "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
            "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
            "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");

    private final List<String> lines = new ArrayList<>();
    private final EmfMetrics emf = new EmfMetrics("DurableJobs", "jobs-test", lines::add,
            Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC));

    static void assertValidEmf(String line) throws Exception {
        JsonNode root = Json.MAPPER.readTree(line);
        assertThat(root.isObject()).isTrue();
        JsonNode aws = root.get("_aws");
        assertThat(aws).as("_aws").isNotNull();
        assertThat(aws.get("Timestamp").isIntegralNumber()).as("Timestamp is epoch millis").isTrue();
        assertThat(aws.get("CloudWatchMetrics").isArray()).isTrue();
        assertThat(aws.get("CloudWatchMetrics")).isNotEmpty();
        for (JsonNode directive : aws.get("CloudWatchMetrics")) {
            assertThat(directive.get("Namespace").asText()).matches("^[^:].{0,254}$");
            assertThat(directive.get("Dimensions").isArray()).isTrue();
            for (JsonNode set : directive.get("Dimensions")) {
                assertThat(set.size()).isBetween(0, 30);
                for (JsonNode dim : set) {
                    assertThat(root.has(dim.asText())).as("dimension %s is a member", dim).isTrue();
                    assertThat(root.get(dim.asText()).isTextual()).as("dimension value is a string").isTrue();
                }
            }
            JsonNode metrics = directive.get("Metrics");
            assertThat(metrics.size()).isBetween(1, 100);
            Set<String> names = new HashSet<>();
            for (JsonNode m : metrics) {
                String name = m.get("Name").asText();
                assertThat(names.add(name)).as("metric %s defined once", name).isTrue();
                assertThat(m.has("Unit") ? UNITS.contains(m.get("Unit").asText()) : true).as("unit of %s", name).isTrue();
                JsonNode value = root.get(name);
                assertThat(value).as("metric %s is a member", name).isNotNull();
                if (value.isArray()) {
                    assertThat(value.size()).isBetween(1, 100);
                    value.forEach(v -> assertThat(v.isNumber()).isTrue());
                } else {
                    assertThat(value.isNumber()).as("metric %s value", name).isTrue();
                }
            }
        }
    }

    @Test
    void countsTimingsAndGauges_becomeValidEmf_withTheNamespaceDimension() throws Exception {
        emf.count(MetricNames.SUCCEEDED, 1, Map.of(MetricNames.DIM_TYPE, "webhook.deliver"));
        emf.count(MetricNames.SUCCEEDED, 2, Map.of(MetricNames.DIM_TYPE, "webhook.deliver"));
        emf.millis(MetricNames.HANDLER_DURATION, 12.5, Map.of(MetricNames.DIM_TYPE, "webhook.deliver"));
        emf.millis(MetricNames.HANDLER_DURATION, 7, Map.of(MetricNames.DIM_TYPE, "webhook.deliver"));
        emf.count(MetricNames.DEAD_LETTERED, 1, Map.of(MetricNames.DIM_TYPE, "pdf.render", MetricNames.DIM_REASON, "retries_exhausted"));
        emf.gauge(MetricNames.BREAKER_OPEN, 1, "None", Map.of());
        emf.flush();

        assertThat(lines).hasSize(3);
        for (String l : lines) {
            assertValidEmf(l);
        }
        JsonNode webhook = lines.stream().map(EmfMetricsTest::parse).filter(n -> "webhook.deliver".equals(n.path("Type").asText()))
                .findFirst().orElseThrow();
        assertThat(webhook.get(MetricNames.SUCCEEDED).asDouble()).isEqualTo(3);
        assertThat(webhook.get(MetricNames.HANDLER_DURATION)).hasSize(2);
        assertThat(webhook.get("Namespace").asText()).isEqualTo("jobs-test");
        assertThat(webhook.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("DurableJobs");
        assertThat(webhook.at("/_aws/Timestamp").asLong()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli());
        JsonNode breaker = lines.stream().map(EmfMetricsTest::parse).filter(n -> n.has(MetricNames.BREAKER_OPEN)).findFirst().orElseThrow();
        assertThat(breaker.at("/_aws/CloudWatchMetrics/0/Dimensions/0")).extracting(JsonNode::asText).containsExactly("Namespace");

        lines.clear();
        emf.flush();
        assertThat(lines).as("nothing recorded, nothing written").isEmpty();
    }

    @Test
    void moreThanTheFormatAllows_isSplitOverLines() throws Exception {
        for (int i = 0; i < 250; i++) {
            emf.millis(MetricNames.HANDLER_DURATION, i, Map.of());
        }
        for (int i = 0; i < 120; i++) {
            emf.count("M" + i, 1, Map.of());
        }
        emf.flush();
        for (String l : lines) {
            assertValidEmf(l);
        }
        double total = lines.stream().map(EmfMetricsTest::parse).filter(n -> n.has(MetricNames.HANDLER_DURATION))
                .mapToInt(n -> n.get(MetricNames.HANDLER_DURATION).size()).sum();
        assertThat(total).isEqualTo(250);
        long metricsDefined = lines.stream().map(EmfMetricsTest::parse).mapToLong(n -> n.at("/_aws/CloudWatchMetrics/0/Metrics").size()).sum();
        assertThat(metricsDefined).isGreaterThanOrEqualTo(121);
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void withAnInterval_manyInvocationsWriteOneLinePerInterval_andFlushNowWritesTheRest() throws Exception {
        long[] now = {Instant.parse("2026-03-01T10:00:00Z").toEpochMilli()};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now[0]);
            }
        };
        List<String> out = new ArrayList<>();
        EmfMetrics batched = new EmfMetrics("DurableJobs", "jobs-test", out::add, clock, java.time.Duration.ofSeconds(1));
        batched.count("JobsAccepted", 1, Map.of("JobType", "a"));
        batched.flush();
        assertThat(out).as("the first flush writes").hasSize(1);
        for (int i = 0; i < 50; i++) {
            now[0] += 10;
            batched.count("JobsAccepted", 1, Map.of("JobType", "a"));
            batched.flush();
        }
        assertThat(out).as("within the interval nothing more is written").hasSize(1);
        now[0] += 500;
        batched.count("JobsAccepted", 1, Map.of("JobType", "a"));
        batched.flush();
        assertThat(out).hasSize(2);
        assertThat(Json.MAPPER.readTree(out.get(1)).get("JobsAccepted").asDouble()).as("51 invocations' counts in one line").isEqualTo(51);
        batched.count("JobsAccepted", 1, Map.of("JobType", "a"));
        batched.flush();
        assertThat(out).hasSize(2);
        batched.flushNow();
        assertThat(out).hasSize(3);
        assertValidEmf(out.get(2));
    }
}
