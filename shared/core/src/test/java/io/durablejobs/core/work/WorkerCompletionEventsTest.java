package io.durablejobs.core.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.event.CompletionEvents;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.testing.InMemoryJobStore;
import io.durablejobs.core.testing.RecordingPublisher;
import io.durablejobs.core.testing.ScriptedJobType;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.type.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker's completion events: once per final outcome recorded, none for a retry, again for a redelivered finished job. */
class WorkerCompletionEventsTest {
    final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final ScriptedJobType type = new ScriptedJobType("echo", 3);
    final JobTypeRegistry registry = JobTypeRegistry.of(type);
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(List.of(Duration.ofSeconds(1))), registry.names());
    final List<OutboundMessage> events = new CopyOnWriteArrayList<>();
    final AtomicBoolean brokerDown = new AtomicBoolean();
    final WorkerService worker = new WorkerService("echo", registry, store, new io.durablejobs.core.ledger.InMemoryLedger(), new RecordingPublisher(), topology,
            new WorkerService.Settings(Duration.ofDays(1), Duration.ofSeconds(2), 3), Clock.systemUTC(), () -> 0.5,
            io.durablejobs.core.breaker.CircuitBreakers.NONE, io.durablejobs.core.metrics.WorkerObserver.NONE,
            new CompletionEvents(m -> {
                if (brokerDown.get()) {
                    throw new PublishException("no confirm");
                }
                events.add(m);
            }, topology));
    JobEnvelope job;

    @BeforeEach
    void queueAJob() {
        job = new JobEnvelope(JobIds.newId(now.toEpochMilli()), "t1", "echo", Json.MAPPER.createObjectNode().put("x", 1), 4, now);
        store.create(JobRecord.queued(job, now), Duration.ofDays(1));
    }

    IncomingMessage delivery(int attempt) {
        return new IncomingMessage("t.echo", JobMessages.encode(job), Map.of(JobHeaders.ATTEMPT, attempt), job.jobId(), false);
    }

    @Test
    void succeeded_publishesOneEvent_onTheEventsExchange_withTypeDotStatus() throws Exception {
        type.then(Outcome.succeeded(Json.MAPPER.createObjectNode().put("ok", true)));
        worker.process(delivery(1), Instant.now().plusSeconds(30));
        assertThat(events).hasSize(1);
        OutboundMessage e = events.get(0);
        assertThat(e.exchange()).isEqualTo("t.events");
        assertThat(e.routingKey()).isEqualTo("echo.succeeded");
        assertThat(e.messageId()).isEqualTo(job.jobId() + ".succeeded");
        JsonNode body = Json.MAPPER.readTree(e.body());
        assertThat(body.path("tenant").asText()).isEqualTo("t1");
        assertThat(body.path("attempts").asInt()).isEqualTo(1);
        assertThat(body.path("result").path("ok").asBoolean()).isTrue();
        assertThat(body.path("createdAt").asText()).isEqualTo(now.toString());
    }

    @Test
    void retry_publishesNoEvent_deadLetterPublishesOneWithTheError() throws Exception {
        type.then(Outcome.retry("HTTP 503"));
        worker.process(delivery(1), Instant.now().plusSeconds(30));
        assertThat(events).isEmpty();
        type.then(Outcome.deadLetter("gone", "HTTP 410"));
        worker.process(delivery(2), Instant.now().plusSeconds(30));
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.routingKey()).isEqualTo("echo.dead_lettered");
            assertThat(Json.MAPPER.readTree(e.body()).path("error").asText()).contains("HTTP 410");
        });
    }

    @Test
    void unconfirmedEvent_failsTheDelivery_andTheRedeliveryPublishesItAgain() throws Exception {
        type.then(Outcome.succeeded(Json.MAPPER.createObjectNode()));
        brokerDown.set(true);
        assertThatThrownBy(() -> worker.process(delivery(1), Instant.now().plusSeconds(30))).isInstanceOf(PublishException.class);
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        brokerDown.set(false);
        assertThat(worker.process(delivery(1), Instant.now().plusSeconds(30))).isEqualTo(Disposition.SKIPPED);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.routingKey()).isEqualTo("echo.succeeded"));
        assertThat(type.runs()).hasSize(1);
    }
}
