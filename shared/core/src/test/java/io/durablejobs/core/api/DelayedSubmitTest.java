package io.durablejobs.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.testing.InMemoryIdempotencyStore;
import io.durablejobs.core.testing.InMemoryJobStore;
import io.durablejobs.core.testing.RecordingPublisher;
import io.durablejobs.core.testing.ScriptedJobType;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.work.JobHeaders;
import io.durablejobs.core.work.JobMessages;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** runAt and delay on submit: validation with field paths, the scheduled status, and the first hop's message. */
class DelayedSubmitTest {
    static final String KEY = "key-aaaaaaaaaaaaaaaa";
    final Instant now = Instant.parse("2026-11-30T10:00:00Z");
    final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    final InMemoryJobStore store = new InMemoryJobStore(clock);
    final RecordingPublisher publisher = new RecordingPublisher();
    final JobTypeRegistry registry = JobTypeRegistry.of(new ScriptedJobType("echo", 3));
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), registry.names());
    final JobsApi api = new JobsApi(ApiKeys.parse("a=" + KEY), 4096, new SubmitRequestParser(registry, DelayLimits.DEFAULT, clock),
            new SubmitService(store, publisher, new JobMessages(topology), Duration.ofDays(7), clock), store,
            new InMemoryIdempotencyStore(clock), new JobsApi.IdempotencySettings(Duration.ofHours(24), Duration.ofSeconds(15)), clock);

    ApiResponse submit(String extra) {
        return submit(extra, null);
    }

    ApiResponse submit(String extra, String idempotencyKey) {
        Map<String, String> h = new HashMap<>(Map.of("authorization", "Bearer " + KEY, "content-type", "application/json"));
        if (idempotencyKey != null) {
            h.put("idempotency-key", idempotencyKey);
        }
        String body = "{\"type\":\"echo\",\"payload\":{}" + extra + "}";
        return api.handle(new ApiRequest("POST", "/v1/jobs", Map.of(), h, body.getBytes(StandardCharsets.UTF_8), "r"));
    }

    static JsonNode json(ApiResponse r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void delay_makesTheJobScheduled_andItsMessageHopsThroughTheLargestTierNotPastItsTime() throws Exception {
        ApiResponse r = submit(",\"delay\":\"PT45M\"");
        assertThat(r.status()).isEqualTo(202);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("scheduled");
        assertThat(body.get("runAt").asText()).isEqualTo("2026-11-30T10:45:00Z");
        OutboundMessage m = publisher.published().get(0);
        assertThat(m.exchange()).isEqualTo("t.retry");
        assertThat(m.headers()).containsEntry("jobs-retry-tier", "10m").containsEntry(JobHeaders.DUE_AT, "2026-11-30T10:45:00Z")
                .containsEntry(JobHeaders.ATTEMPT, 1);
        JsonNode status = json(api.handle(new ApiRequest("GET", "/v1/jobs/" + body.get("jobId").asText(), Map.of(),
                Map.of("authorization", "Bearer " + KEY), null, "r")));
        assertThat(status.get("status").asText()).isEqualTo("scheduled");
        assertThat(status.get("runAt").asText()).isEqualTo("2026-11-30T10:45:00Z");
    }

    @Test
    void runAt_withAnOffset_isNormalisedToUtc_andASecondsDelayIsAccepted() throws Exception {
        assertThat(json(submit(",\"runAt\":\"2026-11-30T12:30:00+01:00\"")).get("runAt").asText()).isEqualTo("2026-11-30T11:30:00Z");
        assertThat(json(submit(",\"delay\":90")).get("runAt").asText()).isEqualTo("2026-11-30T10:01:30Z");
        assertThat(json(submit(",\"delay\":1.5")).get("runAt").asText()).isEqualTo("2026-11-30T10:00:01.500Z");
    }

    @Test
    void zeroDelay_orARunAtJustPast_runsAtOnce() throws Exception {
        JsonNode zero = json(submit(",\"delay\":0"));
        assertThat(zero.get("status").asText()).isEqualTo("queued");
        assertThat(zero.has("runAt")).isFalse();
        assertThat(json(submit(",\"runAt\":\"2026-11-30T09:59:58Z\"")).get("status").asText()).isEqualTo("queued");
        assertThat(publisher.published()).allSatisfy(m -> assertThat(m.exchange()).isEqualTo("t.jobs"));
    }

    @Test
    void badSchedules_are400_namingTheField() throws Exception {
        assertProblem(submit(",\"runAt\":\"2026-11-29T10:00:00Z\""), "runAt", "in the past");
        assertProblem(submit(",\"runAt\":\"2026-11-30 11:00\""), "runAt", "RFC 3339");
        assertProblem(submit(",\"runAt\":\"2026-11-30T11:00:00\""), "runAt", "RFC 3339");
        assertProblem(submit(",\"runAt\":\"2027-01-30T10:00:00Z\""), "runAt", "30d");
        assertProblem(submit(",\"delay\":\"P31D\""), "delay", "at most 30d");
        assertProblem(submit(",\"delay\":2678400"), "delay", "at most 30d");
        assertProblem(submit(",\"delay\":-1"), "delay", "not negative");
        assertProblem(submit(",\"delay\":\"PT-5S\""), "delay", "not be negative");
        assertProblem(submit(",\"delay\":\"ten minutes\""), "delay", "ISO-8601");
        assertProblem(submit(",\"delay\":\"PT1M\",\"runAt\":\"2026-11-30T11:00:00Z\""), "delay", "not both");
        assertThat(publisher.published()).isEmpty();
        assertThat(submit(",\"delay\":\"P30D\"").status()).isEqualTo(202);
    }

    @Test
    void theIdempotencyFingerprint_includesTheSchedule_soADifferentTimeUnderOneKeyIs422() throws Exception {
        assertThat(submit(",\"delay\":\"PT1H\"", "k1").status()).isEqualTo(202);
        ApiResponse replay = submit(",\"delay\":\"PT1H\"", "k1");
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(submit(",\"delay\":\"PT2H\"", "k1").status()).isEqualTo(422);
        assertThat(IdempotencyKeys.fingerprint(new SubmitRequest("echo", Json.MAPPER.createObjectNode(), 4)))
                .as("a request without a schedule keeps its fingerprint")
                .isEqualTo(IdempotencyKeys.fingerprint(new SubmitRequest("echo", Json.MAPPER.createObjectNode(), 4, null, null)));
    }

    @Test
    void maxDelay_isASetting_between1sAnd365d() {
        assertThat(DelayLimits.from(Map.of()).maxDelay()).isEqualTo(Duration.ofDays(30));
        assertThat(DelayLimits.from(Map.of("JOBS_MAX_DELAY", "90d")).maxDelay()).isEqualTo(Duration.ofDays(90));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DelayLimits.from(Map.of("JOBS_MAX_DELAY", "400d")))
                .hasMessageContaining("JOBS_MAX_DELAY");
    }

    private static void assertProblem(ApiResponse r, String field, String text) throws Exception {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(400);
        JsonNode e = json(r).get("errors").get(0);
        assertThat(e.get("field").asText()).isEqualTo(field);
        assertThat(e.get("message").asText()).contains(text);
    }
}
