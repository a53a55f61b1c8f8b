package io.durablejobs.core.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.retry.RetryPolicy;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.testing.InMemoryJobStore;
import io.durablejobs.core.testing.RecordingPublisher;
import io.durablejobs.core.testing.ScriptedBreakers;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.type.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Jobs whose downstream's breaker is open wait without spending attempts, up to a limit. */
class WorkerDeferralTest {
    static final class CallsHost implements JobType {
        final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        int runs;

        @Override public String name() { return "call"; }
        @Override public List<FieldError> validate(JsonNode payload) { return List.of(); }
        @Override public String downstream(JsonNode payload) { return "host:" + payload.path("host").asText(); }
        @Override public RetryPolicy retryPolicy() { return new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1)); }

        @Override
        public Outcome handle(JobContext ctx) {
            runs++;
            Outcome o = outcomes.poll();
            return o == null ? Outcome.succeeded(null) : o;
        }
    }

    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final RecordingPublisher publisher = new RecordingPublisher();
    final ScriptedBreakers breakers = new ScriptedBreakers();
    final CallsHost type = new CallsHost();
    final Topology topology = new Topology("t", QueueType.QUORUM, 5,
            new RetryTiers(List.of(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10))), List.of("call"));
    final WorkerService worker = new WorkerService("call", JobTypeRegistry.of(type), store, new io.durablejobs.core.ledger.InMemoryLedger(), publisher, topology,
            new WorkerService.Settings(Duration.ofDays(1), Duration.ofSeconds(1), 5, Duration.ofMinutes(15), Duration.ofMillis(500)),
            Clock.systemUTC(), () -> 0.5, breakers);
    JobEnvelope job;

    @BeforeEach
    void queue() {
        Instant now = Instant.now();
        job = new JobEnvelope(JobIds.newId(now.toEpochMilli()), "t1", "call", Json.MAPPER.createObjectNode().put("host", "slow.example"), 4, now);
        store.create(JobRecord.queued(job, now), Duration.ofDays(1));
    }

    IncomingMessage delivery(int attempt, long deferredMs) {
        Map<String, Object> h = new HashMap<>();
        h.put(JobHeaders.ATTEMPT, attempt);
        if (deferredMs > 0) {
            h.put(JobHeaders.DEFERRED_MS, deferredMs);
        }
        return new IncomingMessage("t.call", JobMessages.encode(job), h, job.jobId(), false);
    }

    Instant deadline() {
        return Instant.now().plusSeconds(30);
    }

    @Test
    void openBreaker_defersTheSameAttempt_withoutRunningOrClaiming() throws Exception {
        breakers.open("host:slow.example", Duration.ofSeconds(20));
        assertThat(worker.process(delivery(2, 0), deadline())).isEqualTo(Disposition.DEFERRED);
        assertThat(type.runs).isZero();
        OutboundMessage m = publisher.published().get(0);
        assertThat(m.exchange()).isEqualTo("t.retry");
        assertThat(m.headers()).containsEntry(JobHeaders.ATTEMPT, 2).containsEntry(Topology.TIER_HEADER, "30s")
                .containsEntry(JobHeaders.DEFERRED_MS, 30_000L);
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void deferrals_addUp_andPastTheLimit_deadLetterAsBreakerOpen() throws Exception {
        breakers.open("host:slow.example", Duration.ofMinutes(5));
        assertThat(worker.process(delivery(1, 10 * 60_000), deadline())).isEqualTo(Disposition.DEAD_LETTERED);
        OutboundMessage m = publisher.published().get(0);
        assertThat(m.exchange()).isEqualTo("t.dlx");
        assertThat(m.headers()).containsEntry(JobHeaders.REASON, DeadLetterReasons.BREAKER_OPEN);
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(type.runs).isZero();
    }

    @Test
    void whenTheBreakerCloses_theDeferredJobRuns_andItsTotalWaitTravelsOn() throws Exception {
        type.outcomes.add(Outcome.retry("HTTP 503"));
        assertThat(worker.process(delivery(1, 30_000), deadline())).isEqualTo(Disposition.RETRIED);
        assertThat(publisher.published().get(0).headers()).containsEntry(JobHeaders.ATTEMPT, 2).containsEntry(JobHeaders.DEFERRED_MS, 30_000L);
    }

    @Test
    void outcomes_areRecordedInTheBreaker_retryAsFailure_othersAsSuccess() throws Exception {
        type.outcomes.add(Outcome.retry("HTTP 503"));
        worker.process(delivery(1, 0), deadline());
        queue();
        type.outcomes.add(Outcome.deadLetter("client_error", "HTTP 404"));
        worker.process(delivery(1, 0), deadline());
        queue();
        worker.process(delivery(1, 0), deadline());
        assertThat(breakers.results()).extracting(r -> r.failed()).containsExactly(true, false, false);
    }

    @Test
    void tooLittleTimeLeft_defersInsteadOfStarting() throws Exception {
        assertThat(worker.process(delivery(1, 0), Instant.now().plusMillis(100))).isEqualTo(Disposition.DEFERRED);
        assertThat(type.runs).isZero();
        assertThat(publisher.published().get(0).headers()).containsEntry(JobHeaders.ATTEMPT, 1);
    }
}
