package io.durablejobs.core.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.work.IncomingMessage;
import io.durablejobs.core.work.JobMessages;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterDecoderTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private final JobEnvelope job = new JobEnvelope(JobIds.newId(NOW.toEpochMilli()), "acme", "webhook.deliver",
            JsonNodeFactory.instance.objectNode().put("url", "https://x.example"), 4, NOW.minusSeconds(60));

    @Test
    void aQuorumDeliveryLimitDeadLetter_withoutOurHeaders_isDecodedFromTheBodyAndXDeath() {
        Map<String, Object> xDeath = Map.of("count", 6L, "reason", "delivery_limit", "queue", "jobs.webhook.deliver", "exchange", "jobs.jobs");
        IncomingMessage m = new IncomingMessage("jobs.dead", JobMessages.encode(job), Map.of("x-death", List.of(xDeath),
                "x-jobs-attempt", 2, "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), job.jobId(), false);
        DeadLetter d = DeadLetterDecoder.decode(m, NOW);
        assertThat(d.origin()).isEqualTo("broker");
        assertThat(d.reason()).isEqualTo("delivery_limit");
        assertThat(d.error()).contains("jobs.webhook.deliver").contains("6 deliveries");
        assertThat(d.jobId()).isEqualTo(job.jobId());
        assertThat(d.tenant()).isEqualTo("acme");
        assertThat(d.attempts()).isEqualTo(2);
        assertThat(d.payload().get("url").asText()).isEqualTo("https://x.example");
        assertThat(d.traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(d.history()).singleElement().satisfies(h -> assertThat(h.reason()).isEqualTo("delivery_limit"));
        assertThat(d.replayable()).isTrue();
    }

    @Test
    void aParkedDeadLetter_readsAsTheJobsOwnDeath_notThePark_andKeepsItsKey() {
        Map<String, Object> jobDeath = Map.of("count", 1L, "reason", "rejected", "queue", "jobs.webhook.deliver", "exchange", "jobs.jobs");
        Map<String, Object> park = Map.of("count", 1L, "reason", "delivery_limit", "queue", "jobs.dead", "exchange", "jobs.dlx");
        IncomingMessage direct = new IncomingMessage("jobs.dead", JobMessages.encode(job), Map.of("x-death", List.of(jobDeath)), job.jobId(), false);
        IncomingMessage parked = new IncomingMessage("jobs.dead", JobMessages.encode(job), Map.of("x-death", List.of(park, jobDeath)),
                job.jobId(), true);
        DeadLetter d = DeadLetterDecoder.decode(parked, NOW);
        assertThat(d.reason()).isEqualTo("rejected");
        assertThat(d.sourceQueue()).isEqualTo("jobs.webhook.deliver");
        assertThat(d.deathKey()).isEqualTo(DeadLetterDecoder.decode(direct, NOW).deathKey());
    }

    @Test
    void theSameDeathTwice_hasTheSameKey_andAnotherAttemptAnother() {
        IncomingMessage m = new IncomingMessage("jobs.dead", JobMessages.encode(job), Map.of("x-jobs-reason", "retries_exhausted",
                "x-jobs-attempt", 8), job.jobId(), false);
        assertThat(DeadLetterDecoder.decode(m, NOW).deathKey()).isEqualTo(DeadLetterDecoder.decode(m, NOW.plusSeconds(5)).deathKey());
        IncomingMessage later = new IncomingMessage("jobs.dead", JobMessages.encode(job), Map.of("x-jobs-reason", "retries_exhausted",
                "x-jobs-attempt", 8), job.jobId(), true);
        assertThat(DeadLetterDecoder.decode(later, NOW).inGeneration(1).deathKey()).isNotEqualTo(DeadLetterDecoder.decode(m, NOW).deathKey());
    }

    @Test
    void garbage_isStillARecord_withTheRawBody_underAStableId() {
        IncomingMessage m = new IncomingMessage("jobs.dead", "{{{".getBytes(StandardCharsets.UTF_8), Map.of(), null, false);
        DeadLetter a = DeadLetterDecoder.decode(m, NOW);
        DeadLetter b = DeadLetterDecoder.decode(m, NOW.plusSeconds(1));
        assertThat(a.jobId()).startsWith("undecodable-").isEqualTo(b.jobId());
        assertThat(a.payload()).isNull();
        assertThat(a.tenant()).isEmpty();
        assertThat(a.origin()).isEqualTo("malformed");
        assertThat(a.rawBody()).isEqualTo("e3t7");
    }
}
