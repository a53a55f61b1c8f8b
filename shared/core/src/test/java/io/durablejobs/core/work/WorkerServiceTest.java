package io.durablejobs.core.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.port.StoreUnavailableException;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.testing.InMemoryJobStore;
import io.durablejobs.core.testing.RecordingPublisher;
import io.durablejobs.core.testing.ScriptedJobType;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.type.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WorkerServiceTest {
    final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final RecordingPublisher publisher = new RecordingPublisher();
    final ScriptedJobType type = new ScriptedJobType("echo", 3);
    final JobTypeRegistry registry = JobTypeRegistry.of(type, new ScriptedJobType("other", 3));
    final Topology topology = new Topology("t", QueueType.QUORUM, 5,
            new RetryTiers(java.util.List.of(Duration.ofSeconds(1), Duration.ofSeconds(5))), registry.names());
    final WorkerService worker = new WorkerService("echo", registry, store, new io.durablejobs.core.ledger.InMemoryLedger(), publisher, topology,
            new WorkerService.Settings(Duration.ofDays(1), Duration.ofSeconds(2), 3), Clock.systemUTC(), () -> 0.5);
    JobEnvelope job;

    @BeforeEach
    void queueAJob() {
        job = new JobEnvelope(JobIds.newId(now.toEpochMilli()), "t1", "echo", Json.MAPPER.createObjectNode().put("x", 1), 4, now);
        store.create(JobRecord.queued(job, now), Duration.ofDays(1));
    }

    IncomingMessage delivery(JobEnvelope j, int attempt, Map<String, Object> extra) {
        Map<String, Object> h = new HashMap<>(extra);
        h.put(JobHeaders.ATTEMPT, attempt);
        return new IncomingMessage("t.echo", JobMessages.encode(j), h, j.jobId(), false);
    }

    IncomingMessage delivery(int attempt) {
        return delivery(job, attempt, Map.of());
    }

    Instant deadline() {
        return Instant.now().plusSeconds(30);
    }

    @Test
    void success_recordsSucceeded_withResult_andPublishesNothing() throws Exception {
        type.then(Outcome.succeeded(Json.MAPPER.createObjectNode().put("ok", true)));
        assertThat(worker.process(delivery(1), deadline())).isEqualTo(Disposition.SUCCEEDED);
        JobRecord r = store.find(job.jobId()).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(r.result().get("ok").asBoolean()).isTrue();
        assertThat(publisher.published()).isEmpty();
        assertThat(type.runs().get(0).attempt()).isEqualTo(1);
    }

    @Test
    void retryableFailure_republishesToATier_withAttemptPlusOne_andHistory() throws Exception {
        type.then(Outcome.retry("HTTP 503"));
        assertThat(worker.process(delivery(1), deadline())).isEqualTo(Disposition.RETRIED);
        OutboundMessage m = publisher.published().get(0);
        assertThat(m.exchange()).isEqualTo("t.retry");
        assertThat(m.routingKey()).isEqualTo("echo");
        assertThat(m.headers()).containsEntry(JobHeaders.ATTEMPT, 2).containsEntry(Topology.TIER_HEADER, "1s");
        assertThat((String) m.headers().get(JobHeaders.HISTORY)).contains("HTTP 503");
        assertThat(JobMessages.decode(m.body())).isEqualTo(job);
        JobRecord r = store.find(job.jobId()).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.RETRYING);
        assertThat(r.error()).isEqualTo("HTTP 503");
    }

    @Test
    void retryAfter_isHonoured_asAFloorOnTheDelay() throws Exception {
        type.then(new Outcome.Retry("HTTP 429", Duration.ofSeconds(4)));
        worker.process(delivery(1), deadline());
        assertThat(publisher.published().get(0).headers()).containsEntry(Topology.TIER_HEADER, "5s");
    }

    @Test
    void exhaustedRetries_deadLetter_withTheWholeHistory() throws Exception {
        type.then(Outcome.retry("boom 3"));
        IncomingMessage third = delivery(job, 3, Map.of(JobHeaders.HISTORY,
                "[{\"attempt\":1,\"at\":\"2026-01-01T00:00:01Z\",\"reason\":\"retryable\",\"error\":\"boom 1\"},"
                        + "{\"attempt\":2,\"at\":\"2026-01-01T00:00:02Z\",\"reason\":\"retryable\",\"error\":\"boom 2\"}]"));
        store.transition(job.jobId(), io.durablejobs.core.port.Transition.to(JobStatus.RUNNING, 2), Duration.ofDays(1));
        store.transition(job.jobId(), new io.durablejobs.core.port.Transition(JobStatus.RETRYING, 2, null, "boom 2"), Duration.ofDays(1));
        assertThat(worker.process(third, deadline())).isEqualTo(Disposition.DEAD_LETTERED);
        OutboundMessage m = publisher.published().get(0);
        assertThat(m.exchange()).isEqualTo("t.dlx");
        assertThat(m.headers()).containsEntry(JobHeaders.REASON, DeadLetterReasons.RETRIES_EXHAUSTED).containsEntry(JobHeaders.ATTEMPT, 3);
        String history = (String) m.headers().get(JobHeaders.HISTORY);
        assertThat(history).contains("boom 1", "boom 2", "boom 3");
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
    }

    @Test
    void permanentFailure_deadLettersAtOnce_withItsReason() throws Exception {
        type.then(Outcome.deadLetter("endpoint_gone", "HTTP 410"));
        assertThat(worker.process(delivery(1), deadline())).isEqualTo(Disposition.DEAD_LETTERED);
        assertThat(publisher.published().get(0).headers()).containsEntry(JobHeaders.REASON, "endpoint_gone");
        assertThat(store.find(job.jobId()).orElseThrow().error()).contains("endpoint_gone", "HTTP 410");
    }

    @Test
    void handlerException_isRetryable() throws Exception {
        type.then(new IllegalStateException("bug"));
        assertThat(worker.process(delivery(1), deadline())).isEqualTo(Disposition.RETRIED);
        assertThat(store.find(job.jobId()).orElseThrow().error()).contains("IllegalStateException", "bug");
    }

    @Test
    void undecodableMessage_goesToTheDeadLetterExchange_withTheRawBody() throws Exception {
        IncomingMessage garbage = new IncomingMessage("t.echo", "not json".getBytes(StandardCharsets.UTF_8), Map.of(), "m1", false);
        assertThat(worker.process(garbage, deadline())).isEqualTo(Disposition.DEAD_LETTERED);
        OutboundMessage m = publisher.published().get(0);
        assertThat(m.exchange()).isEqualTo("t.dlx");
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(m.headers()).containsEntry(JobHeaders.REASON, DeadLetterReasons.UNDECODABLE);
        assertThat(type.runs()).isEmpty();
    }

    @Test
    void messageOfAnotherType_onThisQueue_isDeadLettered_unknownType() throws Exception {
        JobEnvelope other = new JobEnvelope(JobIds.newId(1), "t1", "other", Json.MAPPER.createObjectNode(), 4, now);
        assertThat(worker.process(delivery(other, 1, Map.of()), deadline())).isEqualTo(Disposition.DEAD_LETTERED);
        assertThat(publisher.published().get(0).headers()).containsEntry(JobHeaders.REASON, DeadLetterReasons.UNKNOWN_TYPE);
    }

    @Test
    void redeliveryOfAFinishedJob_isSkipped_andTheHandlerDoesNotRunAgain() throws Exception {
        worker.process(delivery(1), deadline());
        assertThat(worker.process(delivery(1), deadline())).isEqualTo(Disposition.SKIPPED);
        assertThat(type.runs()).hasSize(1);
    }

    @Test
    void staleCopyOfARetriedAttempt_isSkipped() throws Exception {
        type.then(Outcome.retry("HTTP 503"));
        worker.process(delivery(1), deadline());
        assertThat(worker.process(delivery(1), deadline())).isEqualTo(Disposition.SKIPPED);
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void missingStatusRecord_isRecreated_andTheJobStillRuns() throws Exception {
        store.delete(job.jobId());
        assertThat(worker.process(delivery(1), deadline())).isEqualTo(Disposition.SUCCEEDED);
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void brokerRefusingTheRetry_propagates_andTheStatusDoesNotClaimRetrying() {
        type.then(Outcome.retry("HTTP 503"));
        publisher.setRefusing(true);
        assertThatThrownBy(() -> worker.process(delivery(1), deadline())).isInstanceOf(PublishException.class);
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void storeDown_atTheClaim_handsTheJobToARetryTier_withoutRunningIt_orFailingTheBatch() throws Exception {
        // Failing the batch instead would make the mapping redeliver it at once, again and again, and each
        // redelivery counts toward the quorum queue's x-delivery-limit: a short Redis outage would dead-letter
        // healthy jobs. The broker is up, so the job is handed on (confirmed) without spending an attempt.
        store.setDown(true);
        assertThat(worker.process(delivery(2), deadline())).isEqualTo(Disposition.DEFERRED);
        assertThat(type.runs()).isEmpty();
        OutboundMessage m = publisher.published().get(0);
        assertThat(m.exchange()).isEqualTo("t.retry");
        assertThat(m.headers()).containsEntry(JobHeaders.ATTEMPT, 2).doesNotContainKey(JobHeaders.DEFERRED_MS);
    }

    @Test
    void storeAndBrokerDown_failTheBatch() {
        store.setDown(true);
        publisher.setRefusing(true);
        assertThatThrownBy(() -> worker.process(delivery(1), deadline())).isInstanceOf(PublishException.class);
        assertThat(type.runs()).isEmpty();
    }

    @Test
    void deadline_isPassedToTheHandler() throws Exception {
        Instant d = deadline();
        worker.process(delivery(1), d);
        assertThat(type.runs().get(0).deadline()).isEqualTo(d);
    }

    @Test
    void aJobRunningUnderALiveLeaseElsewhere_isDeferred_notRunTwice_notDropped() throws Exception {
        store.claim(job, 1, Duration.ofMinutes(1), 3, Duration.ofDays(1)); // another worker holds it
        assertThat(worker.process(delivery(1), deadline())).isEqualTo(Disposition.DEFERRED);
        assertThat(type.runs()).isEmpty();
        OutboundMessage m = publisher.published().get(0);
        assertThat(m.exchange()).isEqualTo("t.retry");
        assertThat(m.headers()).containsEntry(JobHeaders.ATTEMPT, 1); // no attempt spent
    }

    @Test
    void aCrashLoopingAttempt_isDeadLettered_delivery_limit_withoutRunningAgain() throws Exception {
        for (int i = 0; i < 3; i++) {
            store.claim(job, 1, Duration.ofMillis(1), 3, Duration.ofDays(1)); // three deliveries whose function died
            Thread.sleep(3);
        }
        assertThat(worker.process(delivery(1), deadline())).isEqualTo(Disposition.DEAD_LETTERED);
        assertThat(type.runs()).isEmpty();
        assertThat(publisher.published().get(0).headers()).containsEntry(JobHeaders.REASON, DeadLetterReasons.DELIVERY_LIMIT);
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
    }

    @Test
    void aFencedOutWorker_cannotOverwriteTheNewerOutcome() throws Exception {
        // Worker A's run: its handler stalls until after its lease lapsed and worker B finished the job.
        ScriptedJobType slow = new ScriptedJobType("echo", 3).then((java.util.concurrent.Callable<Outcome>) () -> {
                Thread.sleep(80); // A stalls past its lease
                long token = ((io.durablejobs.core.port.Claim.Claimed) store.claim(job, 1, Duration.ofMinutes(1), 3, Duration.ofDays(1))).token();
                store.finish(job.jobId(), token, new io.durablejobs.core.port.Transition(JobStatus.SUCCEEDED, 1,
                        Json.MAPPER.createObjectNode().put("by", "B"), null), Duration.ofDays(1));
                return Outcome.retry("A timed out");
        });
        WorkerService a = new WorkerService("echo", JobTypeRegistry.of(slow), store, new io.durablejobs.core.ledger.InMemoryLedger(), publisher, topology,
                new WorkerService.Settings(Duration.ofDays(1), Duration.ZERO, 3), Clock.systemUTC(), () -> 0.5);
        a.process(delivery(1), Instant.now().plusMillis(30)); // a 30 ms lease: B may take over while A stalls
        JobRecord r = store.find(job.jobId()).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(r.result().get("by").asText()).isEqualTo("B");
    }

    @Test
    void theWorkerCountsAFinishedJobInTheLedger_itself_withoutAnyObserver_andOnlyOnce() throws Exception {
        io.durablejobs.core.ledger.InMemoryLedger ledger = new io.durablejobs.core.ledger.InMemoryLedger();
        WorkerService counted = new WorkerService("echo", registry, store, ledger, publisher, topology,
                new WorkerService.Settings(Duration.ofDays(1), Duration.ofSeconds(2), 3), Clock.systemUTC(), () -> 0.5);
        ledger.accepted(job.tenant(), job.type(), job.jobId());
        type.then(Outcome.succeeded(null));
        assertThat(counted.process(delivery(1), deadline())).isEqualTo(Disposition.SUCCEEDED);
        assertThat(counted.process(delivery(1), deadline())).isEqualTo(Disposition.SKIPPED); // redelivered: counted again, harmlessly
        assertThat(ledger.read(job.tenant()).succeeded()).isEqualTo(1);
        assertThat(ledger.read(job.tenant()).inFlight()).isZero();
    }
}
