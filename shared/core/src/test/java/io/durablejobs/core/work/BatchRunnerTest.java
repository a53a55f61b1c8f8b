package io.durablejobs.core.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.json.Json;
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
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchRunnerTest {
    static final int HEALTHY = 6;

    /** Calls "hosts": the slow one blocks until every healthy call has finished. */
    static final class Hosts implements JobType {
        final CountDownLatch healthyDone = new CountDownLatch(HEALTHY);
        final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();

        @Override public String name() { return "call"; }
        @Override public List<FieldError> validate(JsonNode payload) { return List.of(); }
        @Override public String downstream(JsonNode payload) { return payload.path("host").asText(); }

        @Override
        public Outcome handle(JobContext ctx) throws Exception {
            String host = ctx.payload().path("host").asText();
            int now = inFlight.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
            maxInFlight.computeIfAbsent(host, h -> new AtomicInteger()).accumulateAndGet(now, Math::max);
            try {
                if (host.equals("slow")) {
                    healthyDone.await(); // a hung downstream, until the healthy ones are through
                } else {
                    healthyDone.countDown();
                }
                return Outcome.succeeded(null);
            } finally {
                inFlight.get(host).decrementAndGet();
            }
        }
    }

    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final RecordingPublisher publisher = new RecordingPublisher();
    final Hosts type = new Hosts();
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), List.of("call"));
    final WorkerService worker = new WorkerService("call", JobTypeRegistry.of(type), store, new io.durablejobs.core.ledger.InMemoryLedger(), publisher, topology,
            new WorkerService.Settings(Duration.ofDays(1), Duration.ofSeconds(1), 5), Clock.systemUTC(), () -> 0.5);
    final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    IncomingMessage job(String host) {
        Instant now = Instant.now();
        JobEnvelope j = new JobEnvelope(JobIds.newId(now.toEpochMilli()), "t1", "call", Json.MAPPER.createObjectNode().put("host", host), 4, now);
        store.create(JobRecord.queued(j, now), Duration.ofDays(1));
        return new IncomingMessage("t.call", JobMessages.encode(j), Map.of(JobHeaders.ATTEMPT, 1), j.jobId(), false);
    }

    @Test
    void aHungHost_holdsAtMostItsShare_andTheOtherHostsJobsAllFinish() {
        List<IncomingMessage> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(job("slow")); // the slow host's jobs come first in the batch
        }
        for (int i = 0; i < HEALTHY; i++) {
            batch.add(job("healthy"));
        }
        BatchRunner runner = new BatchRunner(worker, pool, 2);
        Map<Disposition, Integer> counts = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> runner.run(batch, Instant.now().plusSeconds(30)));
        assertThat(counts).containsEntry(Disposition.SUCCEEDED, 12);
        assertThat(type.maxInFlight.get("slow").get()).isLessThanOrEqualTo(2);
    }

    /**
     * A run that ends while the runner is still starting messages (its slot freed just after the runner found
     * its downstream full) must still wake the runner for that downstream's next message. The executor makes
     * that interleaving certain: when the runner hands it "b"'s run (after finding "a" full, with "a2" left
     * waiting), it first lets "a1" finish completely, then runs "b1" on the runner's own thread, as an
     * executor may. Both runs have then ended before the runner looks at what finished.
     */
    @Test
    void aRunThatEndsWhileTheRunnerIsStartingOthers_stillFreesItsSlotForTheNextMessage() {
        List<IncomingMessage> batch = List.of(job("a"), job("a"), job("b"));
        CountDownLatch a1Finished = new CountDownLatch(1);
        AtomicInteger submitted = new AtomicInteger();
        ExecutorService interleaving = new AbstractExecutorService() {
            @Override
            public void execute(Runnable task) {
                switch (submitted.getAndIncrement()) {
                    case 0 -> pool.execute(() -> { // a1: by the time this returns it has freed its slot and reported
                        task.run();
                        a1Finished.countDown();
                    });
                    case 1 -> { // b1, started after "a" was found full
                        try {
                            assertThat(a1Finished.await(10, TimeUnit.SECONDS)).isTrue();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        task.run();
                    }
                    default -> pool.execute(task);
                }
            }

            @Override public void shutdown() { }
            @Override public List<Runnable> shutdownNow() { return List.of(); }
            @Override public boolean isShutdown() { return false; }
            @Override public boolean isTerminated() { return false; }
            @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return false; }
        };
        BatchRunner runner = new BatchRunner(worker, interleaving, 1);
        long start = System.nanoTime();
        // Missing the wake-up, the runner idles to the deadline and then defers "a2" instead of running it.
        Map<Disposition, Integer> counts = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> runner.run(batch, Instant.now().plusSeconds(10)));
        assertThat(counts).isEqualTo(Map.of(Disposition.SUCCEEDED, 3));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(submitted.get()).isEqualTo(3);
    }

    @Test
    void aHandOffFailure_failsTheBatch_afterRunningOnesFinish() {
        publisher.setRefusing(true);
        BatchRunner runner = new BatchRunner(worker, pool, 2);
        List<IncomingMessage> batch = List.of(job("x"), new IncomingMessage("t.call", "garbage".getBytes(), Map.of(), "m", false));
        assertThatThrownBy(() -> runner.run(batch, Instant.now().plusSeconds(30))).isInstanceOf(BatchRunner.HandOffFailed.class);
    }
}
