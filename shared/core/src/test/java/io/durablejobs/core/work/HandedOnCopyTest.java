package io.durablejobs.core.work;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.ledger.InMemoryLedger;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.retry.RetryPolicy;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.testing.InMemoryJobStore;
import io.durablejobs.core.testing.RecordingPublisher;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When a webhook can be called twice under one webhook-id with one completion. The copy that the batch's
 * budget hands on is harmless while the run's lease holds: it is deferred, not run. Only once the lease has
 * lapsed with the first call still going (an environment stalled or killed past its deadline) does the copy
 * call again, and the first run's late outcome is fenced off: two calls, one completion, the at-least-once
 * delivery the README promises under one webhook-id.
 */
class HandedOnCopyTest {
    /** The first call blocks until released (a downstream call still going); later calls answer at once. */
    static final class SlowFirstCall implements JobType {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        @Override public String name() { return "call"; }
        @Override public List<FieldError> validate(JsonNode payload) { return List.of(); }
        @Override public String downstream(JsonNode payload) { return "receiver"; }
        @Override public RetryPolicy retryPolicy() { return new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(1)); }

        @Override
        public Outcome handle(JobContext ctx) throws Exception {
            if (calls.incrementAndGet() == 1) {
                release.await();
            }
            return Outcome.succeeded(null);
        }
    }

    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final InMemoryLedger ledger = new InMemoryLedger();
    final RecordingPublisher publisher = new RecordingPublisher();
    final SlowFirstCall type = new SlowFirstCall();
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), List.of("call"));
    /** Lease slack of 200 ms: the lease is the run's deadline plus that. */
    final WorkerService worker = new WorkerService("call", JobTypeRegistry.of(type), store, ledger, publisher, topology,
            new WorkerService.Settings(Duration.ofDays(1), Duration.ofMillis(200), 5), Clock.systemUTC(), () -> 0.5);
    final BatchRunner runner = new BatchRunner(worker, new BatchRunner.Settings(8, 4, 8, Duration.ofMillis(200), Duration.ofSeconds(30)));

    @AfterEach
    void release() {
        type.release.countDown();
    }

    IncomingMessage submitted() {
        Instant now = Instant.now();
        JobEnvelope j = new JobEnvelope(JobIds.newId(now.toEpochMilli()), "t1", "call", Json.MAPPER.createObjectNode(), 4, now);
        store.create(JobRecord.queued(j, now), Duration.ofDays(1));
        ledger.accepted("t1", "call", j.jobId());
        return new IncomingMessage("t.call", JobMessages.encode(j), Map.of(JobHeaders.ATTEMPT, 1), j.jobId(), false);
    }

    IncomingMessage handedOnCopy() {
        OutboundMessage m = publisher.published().stream().filter(x -> x.headers().containsKey(Topology.TIER_HEADER)).findFirst().orElseThrow();
        return new IncomingMessage("t.call", m.body(), m.headers(), m.messageId(), false);
    }

    void awaitCompletions(int n) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ledger.read("t1").succeeded() < n && System.nanoTime() < until) {
            Thread.sleep(10);
        }
    }

    @Test
    void theHandedOnCopy_whileTheRunsLeaseHolds_isDeferred_notCalledAgain() throws Exception {
        IncomingMessage m = submitted();
        assertThat(runner.run(List.of(m), Instant.now().plusSeconds(20))).containsEntry(Disposition.HANDED_ON, 1);
        // The copy comes back (its retry tier) while the first call is still going: deferred, no second call.
        assertThat(worker.process(handedOnCopy(), Instant.now().plusSeconds(20))).isEqualTo(Disposition.DEFERRED);
        assertThat(type.calls.get()).isEqualTo(1);
        type.release.countDown();
        awaitCompletions(1);
        // Once the run has recorded its outcome, the copy is skipped.
        assertThat(worker.process(handedOnCopy(), Instant.now().plusSeconds(20))).isEqualTo(Disposition.SKIPPED);
        assertThat(type.calls.get()).isEqualTo(1);
        assertThat(ledger.read("t1").succeeded()).isEqualTo(1);
        assertThat(ledger.read("t1").balanced()).isTrue();
    }

    @Test
    void onlyALeaseThatLapsesMidCall_letsTheCopyCallAgain_andTheLateOutcomeIsFenced_oneCompletion() throws Exception {
        IncomingMessage m = submitted();
        // An invocation with little time left: the run's lease is that time plus the slack, under two seconds.
        assertThat(runner.run(List.of(m), Instant.now().plusMillis(1500))).containsEntry(Disposition.HANDED_ON, 1);
        Thread.sleep(2000); // the first call outlives its deadline and its lease (a stalled environment)
        assertThat(worker.process(handedOnCopy(), Instant.now().plusSeconds(20))).isEqualTo(Disposition.SUCCEEDED);
        assertThat(type.calls.get()).isEqualTo(2); // the downstream saw the job twice, under the same job id
        type.release.countDown();
        Thread.sleep(300); // the first run records its late outcome: refused by the fence
        assertThat(store.find(m.messageId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(ledger.read("t1").succeeded()).isEqualTo(1);
        assertThat(ledger.read("t1").balanced()).isTrue();
    }
}
