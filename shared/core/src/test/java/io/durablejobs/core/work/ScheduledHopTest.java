package io.durablejobs.core.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.OutboundMessage;
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
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A delayed job's message reaching the work queue before it is due goes back to a tier: not run, no claim, no attempt spent. */
class ScheduledHopTest {
    final Instant now = Instant.parse("2026-11-30T10:00:00Z");
    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final RecordingPublisher publisher = new RecordingPublisher();
    final io.durablejobs.core.ledger.InMemoryLedger ledger = new io.durablejobs.core.ledger.InMemoryLedger();
    final ScriptedJobType type = new ScriptedJobType("echo", 3);
    final JobTypeRegistry registry = JobTypeRegistry.of(type);
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), registry.names());
    final JobEnvelope job = new JobEnvelope(JobIds.newId(now.toEpochMilli()), "t1", "echo", Json.MAPPER.createObjectNode(), 4, now);

    WorkerService workerAt(Instant time) {
        return new WorkerService("echo", registry, store, ledger, publisher, topology,
                new WorkerService.Settings(Duration.ofDays(1), Duration.ofSeconds(2), 3), Clock.fixed(time, ZoneOffset.UTC), () -> 0.5);
    }

    IncomingMessage due(Instant dueAt) {
        Map<String, Object> h = new HashMap<>();
        h.put(JobHeaders.ATTEMPT, 1);
        h.put(JobHeaders.DUE_AT, dueAt.toString());
        return new IncomingMessage("t.echo", JobMessages.encode(job), h, job.jobId(), false);
    }

    @Test
    void notYetDue_hopsOn_withTheDueTime_withoutRunningOrClaiming() throws Exception {
        store.create(JobRecord.scheduled(job, now, now.plus(Duration.ofHours(3))), Duration.ofDays(1));
        Instant dueAt = now.plus(Duration.ofHours(3));
        Disposition d = workerAt(now.plus(Duration.ofMinutes(130))).process(due(dueAt), Instant.now().plusSeconds(30));
        assertThat(d).isEqualTo(Disposition.DEFERRED);
        assertThat(type.runs()).isEmpty();
        OutboundMessage m = publisher.published().get(0);
        assertThat(m.exchange()).isEqualTo("t.retry");
        assertThat(m.headers()).containsEntry(Topology.TIER_HEADER, "10m")
                .containsEntry(JobHeaders.DUE_AT, dueAt.toString()).containsEntry(JobHeaders.ATTEMPT, 1);
        JobRecord r = store.find(job.jobId()).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(r.attempts()).isZero();
    }

    @Test
    void aFewMillisecondsEarly_stillWaits_theSmallestTier() throws Exception {
        Instant dueAt = now.plusSeconds(60);
        workerAt(dueAt.minusMillis(3)).process(due(dueAt), Instant.now().plusSeconds(30));
        assertThat(type.runs()).isEmpty();
        assertThat(publisher.published().get(0).headers()).containsEntry(Topology.TIER_HEADER, "1s");
    }

    @Test
    void due_runsAsAnyJob_fromScheduledToSucceeded_atAttemptOne() throws Exception {
        store.create(JobRecord.scheduled(job, now, now.plusSeconds(60)), Duration.ofDays(1));
        type.then(Outcome.succeeded(Json.MAPPER.createObjectNode()));
        Disposition d = workerAt(now.plusSeconds(60)).process(due(now.plusSeconds(60)), now.plusSeconds(90));
        assertThat(d).isEqualTo(Disposition.SUCCEEDED);
        assertThat(type.runs()).hasSize(1);
        assertThat(type.runs().get(0).attempt()).isEqualTo(1);
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void aRetryAfterTheDueTime_carriesNoDueTime() throws Exception {
        store.create(JobRecord.scheduled(job, now, now.plusSeconds(60)), Duration.ofDays(1));
        type.then(Outcome.retry("HTTP 503"));
        workerAt(now.plusSeconds(61)).process(due(now.plusSeconds(60)), now.plusSeconds(90));
        assertThat(publisher.published().get(0).headers()).doesNotContainKey(JobHeaders.DUE_AT).containsEntry(JobHeaders.ATTEMPT, 2);
    }

    @Test
    void aDamagedDueTime_doesNotHoldTheJobBack() {
        Map<String, Object> h = new HashMap<>(Map.of(JobHeaders.DUE_AT, "tomorrow"));
        assertThat(JobMessages.dueAt(new IncomingMessage("q", new byte[0], h, "m", false))).isNull();
    }

    @Test
    void deferredUnstartedByTheBatch_aDelayedJobKeepsItsDueTime() throws Exception {
        Instant dueAt = now.plus(Duration.ofHours(2));
        workerAt(now).deferUnstarted(due(dueAt));
        assertThat(type.runs()).isEmpty();
        assertThat(publisher.published().get(0).headers()).containsEntry(JobHeaders.DUE_AT, dueAt.toString())
                .containsEntry(Topology.TIER_HEADER, "1h");
    }
}
