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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batch never waits on a slow message longer than its budget, and a job past its own budget fails alone. */
class BatchBudgetTest {
    /** "hung" blocks until released (or interrupted); "fail" answers retryable; anything else succeeds at once. */
    static final class Hosts implements JobType {
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger hungCalls = new AtomicInteger();

        @Override public String name() { return "call"; }
        @Override public List<FieldError> validate(JsonNode payload) { return List.of(); }
        @Override public String downstream(JsonNode payload) {
            String host = payload.path("host").asText();
            return host.startsWith("local") ? null : host; // "local-...": this environment's own work, no downstream
        }
        @Override public RetryPolicy retryPolicy() { return new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1)); }

        @Override
        public Outcome handle(JobContext ctx) throws Exception {
            String host = ctx.payload().path("host").asText();
            if (host.equals("hung")) {
                hungCalls.incrementAndGet();
                release.await();
                return Outcome.succeeded(null);
            }
            if (host.equals("local-slow")) {
                Thread.sleep(400);
                return Outcome.succeeded(null);
            }
            if (host.equals("fail")) {
                return Outcome.retry("HTTP 503");
            }
            return Outcome.succeeded(null);
        }
    }

    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final InMemoryLedger ledger = new InMemoryLedger();
    final RecordingPublisher publisher = new RecordingPublisher();
    final Hosts type = new Hosts();
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), List.of("call"));
    final WorkerService worker = new WorkerService("call", JobTypeRegistry.of(type), store, ledger, publisher, topology,
            new WorkerService.Settings(Duration.ofDays(1), Duration.ofSeconds(1), 5), Clock.systemUTC(), () -> 0.5);

    @AfterEach
    void releaseHungCalls() {
        type.release.countDown();
    }

    IncomingMessage job(String host, int attempt) {
        Instant now = Instant.now();
        JobEnvelope j = new JobEnvelope(JobIds.newId(now.toEpochMilli()), "t1", "call", Json.MAPPER.createObjectNode().put("host", host), 4, now);
        store.create(JobRecord.queued(j, now), Duration.ofDays(1));
        ledger.accepted("t1", "call", j.jobId());
        return new IncomingMessage("t.call", JobMessages.encode(j), Map.of(JobHeaders.ATTEMPT, attempt), j.jobId(), false);
    }

    List<IncomingMessage> mixed(int hung, int healthy) {
        List<IncomingMessage> batch = new ArrayList<>();
        for (int i = 0; i < Math.max(hung, healthy); i++) {
            if (i < hung) {
                batch.add(job("hung", 1));
            }
            if (i < healthy) {
                batch.add(job("ok", 1));
            }
        }
        return batch;
    }

    List<OutboundMessage> deferredCopies() {
        return publisher.published().stream().filter(m -> m.headers().containsKey(Topology.TIER_HEADER)).toList();
    }

    @Test
    void aHungTarget_isHandedOnAtTheBatchBudget_withoutSpendingAnAttempt_andLaterBatchesDeferItsJobsAtOnce() throws Exception {
        BatchRunner runner = new BatchRunner(worker, new BatchRunner.Settings(64, 4, 64, Duration.ofMillis(300), Duration.ofSeconds(30)));
        long t0 = System.nanoTime();
        Map<Disposition, Integer> first = runner.run(mixed(6, 10), Instant.now().plusSeconds(30));
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        // 4 hung calls started (the target's limit) and were handed on at the budget; the other 2 hung
        // jobs never started and were deferred; every healthy job succeeded in the same batch.
        assertThat(firstMs).isBetween(250L, 2_000L);
        assertThat(first).containsEntry(Disposition.SUCCEEDED, 10).containsEntry(Disposition.HANDED_ON, 4)
                .containsEntry(Disposition.DEFERRED, 2);
        assertThat(type.hungCalls.get()).isEqualTo(4);

        // The next batch: the hung target's slots are still held by the runs of the first, so its jobs are
        // deferred at once and the batch returns as soon as the healthy jobs are done.
        t0 = System.nanoTime();
        Map<Disposition, Integer> second = runner.run(mixed(6, 10), Instant.now().plusSeconds(30));
        long secondMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(secondMs).isLessThan(250L);
        assertThat(second).containsEntry(Disposition.SUCCEEDED, 10).containsEntry(Disposition.DEFERRED, 6);
        assertThat(type.hungCalls.get()).isEqualTo(4);

        // Every copy kept its attempt: nothing was spent on waiting.
        assertThat(deferredCopies()).hasSize(12).allSatisfy(m -> assertThat(m.headers()).containsEntry(JobHeaders.ATTEMPT, 1));

        // The handed-on runs go on and record their own outcome when the target answers.
        type.release.countDown();
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ledger.read("t1").succeeded() < 24 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(ledger.read("t1").succeeded()).isEqualTo(24);
        assertThat(ledger.read("t1").inFlight()).isEqualTo(8); // the 8 deferred hung jobs, still waiting their turn
        assertThat(ledger.read("t1").balanced()).isTrue();
    }

    @Test
    void aSlotFreedByAnEarlierBatchsHandedOnRun_wakesTheBatchWaitingForIt() throws Exception {
        // One call at a time to "hung"; a wait for it is worth up to 2 s while its call is younger than that.
        BatchRunner runner = new BatchRunner(worker, new BatchRunner.Settings(64, 1, 1, Duration.ofSeconds(2), Duration.ofSeconds(30)));
        // The first batch's invocation ends after 200 ms: its run, still young, is handed on and keeps the slot.
        Map<Disposition, Integer> first = runner.run(List.of(job("hung", 1)), Instant.now().plusMillis(200));
        assertThat(first).containsEntry(Disposition.HANDED_ON, 1);

        // The next batch waits for the slot (the call holding it is young); 300 ms in, the earlier run ends.
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            type.release.countDown();
        });
        long t0 = System.nanoTime();
        Map<Disposition, Integer> second = runner.run(List.of(job("hung", 1)), Instant.now().plusSeconds(10));
        long secondMs = (System.nanoTime() - t0) / 1_000_000;

        // Its job ran as soon as the slot was free, not when waiting for it stopped being worth it (about 2 s).
        assertThat(second).isEqualTo(Map.of(Disposition.SUCCEEDED, 1));
        assertThat(secondMs).isBetween(250L, 1_200L);
    }

    @Test
    void aJobPastItsOwnBudget_failsAlone_asATimedOutAttempt_andDeadLettersAsTimedOutWhenItsAttemptsAreSpent() throws Exception {
        BatchRunner runner = new BatchRunner(worker, new BatchRunner.Settings(64, 16, 64, Duration.ofSeconds(5), Duration.ofMillis(200)));
        List<IncomingMessage> batch = new ArrayList<>(List.of(job("hung", 1), job("hung", 2)));
        for (int i = 0; i < 5; i++) {
            batch.add(job("ok", 1));
        }
        long t0 = System.nanoTime();
        Map<Disposition, Integer> counts = runner.run(batch, Instant.now().plusSeconds(30));
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000L);
        assertThat(counts).containsEntry(Disposition.SUCCEEDED, 5).containsEntry(Disposition.RETRIED, 1)
                .containsEntry(Disposition.DEAD_LETTERED, 1);
        OutboundMessage retry = publisher.published().stream().filter(m -> m.exchange().equals("t.retry")).findFirst().orElseThrow();
        assertThat(retry.headers()).containsEntry(JobHeaders.ATTEMPT, 2);
        assertThat((String) retry.headers().get(JobHeaders.HISTORY)).contains("time_budget_exceeded", "time budget");
        OutboundMessage dead = publisher.published().stream().filter(m -> m.exchange().equals("t.dlx")).findFirst().orElseThrow();
        assertThat(dead.headers()).containsEntry(JobHeaders.REASON, DeadLetterReasons.TIME_BUDGET_EXCEEDED);
        // The interrupted handlers' late outcomes were dropped: one record per job, as the runner left it.
        assertThat(store.find(batch.get(0).messageId()).orElseThrow().status()).isEqualTo(JobStatus.RETRYING);
        assertThat(store.find(batch.get(1).messageId()).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(ledger.read("t1").balanced()).isTrue();
        assertThat(ledger.read("t1").deadLettered()).isEqualTo(1);
    }

    @Test
    void aHealthyTarget_earnsConcurrency_andAFailingOne_losesIt() throws Exception {
        BatchRunner runner = new BatchRunner(worker, new BatchRunner.Settings(256, 4, 64, Duration.ofSeconds(5), Duration.ofSeconds(5)));
        List<IncomingMessage> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            batch.add(job("ok", 1));
            batch.add(job("fail", 1));
        }
        runner.run(batch, Instant.now().plusSeconds(30));
        assertThat(runner.limitOf("fail")).isEqualTo(1);
        assertThat(runner.limitOf("ok")).isGreaterThan(4);
    }

    @Test
    void aRunWithoutADownstream_isWaitedFor_notHandedOn_becauseHandingItOnWouldFreeNothing() throws Exception {
        BatchRunner runner = new BatchRunner(worker, new BatchRunner.Settings(64, 4, 64, Duration.ofMillis(100), Duration.ofSeconds(5)));
        Map<Disposition, Integer> counts = runner.run(List.of(job("local-slow", 1), job("ok", 1)), Instant.now().plusSeconds(30));
        assertThat(counts).containsEntry(Disposition.SUCCEEDED, 2).doesNotContainKey(Disposition.HANDED_ON);
        assertThat(deferredCopies()).isEmpty();
    }
}
