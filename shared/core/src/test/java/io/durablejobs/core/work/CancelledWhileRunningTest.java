package io.durablejobs.core.work;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.JobStore;
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
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** Cooperative cancellation: the handler sees the request through its context; a job that then stops ends cancelled. */
class CancelledWhileRunningTest {
    final Instant now = Instant.now();
    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final RecordingPublisher publisher = new RecordingPublisher();
    final io.durablejobs.core.ledger.InMemoryLedger ledger = new io.durablejobs.core.ledger.InMemoryLedger();
    final ScriptedJobType type = new ScriptedJobType("echo", 3);
    final JobTypeRegistry registry = JobTypeRegistry.of(type);
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), registry.names());
    final WorkerService worker = new WorkerService("echo", registry, store, ledger, publisher, topology,
            new WorkerService.Settings(Duration.ofDays(1), Duration.ofSeconds(2), 3), Clock.systemUTC(), () -> 0.5);
    final JobEnvelope job = new JobEnvelope(JobIds.newId(now.toEpochMilli()), "t1", "echo", Json.MAPPER.createObjectNode(), 4, now);

    IncomingMessage delivery() {
        store.create(JobRecord.queued(job, now), Duration.ofDays(1));
        return new IncomingMessage("t.echo", JobMessages.encode(job), Map.of(JobHeaders.ATTEMPT, 1), job.jobId(), false);
    }

    @Test
    void aHandlerThatSeesTheRequestAndStops_endsCancelled_notRetried() throws Exception {
        IncomingMessage m = delivery();
        type.then((Callable<Outcome>) () -> {
            assertThat(store.cancel(job.jobId(), Duration.ofDays(1))).isEqualTo(JobStore.Cancellation.REQUESTED);
            boolean seen = type.runs().get(0).cancellationRequested();
            return seen ? Outcome.retry("stopped: cancelled") : Outcome.succeeded(null);
        });
        assertThat(worker.process(m, Instant.now().plusSeconds(30))).isEqualTo(Disposition.SKIPPED);
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(publisher.published()).as("no retry, no dead letter").isEmpty();
        assertThat(ledger.read("t1").cancelled()).as("the worker counts it itself").isEqualTo(1);
    }

    @Test
    void aHandlerThatCompletesAnyway_succeeds() throws Exception {
        IncomingMessage m = delivery();
        type.then((Callable<Outcome>) () -> {
            store.cancel(job.jobId(), Duration.ofDays(1));
            return Outcome.succeeded(Json.MAPPER.createObjectNode().put("done", true));
        });
        assertThat(worker.process(m, Instant.now().plusSeconds(30))).isEqualTo(Disposition.SUCCEEDED);
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void withoutARequest_theContextSaysNo_andAFailureRetriesAsBefore() throws Exception {
        IncomingMessage m = delivery();
        type.then(Outcome.retry("HTTP 503"));
        assertThat(worker.process(m, Instant.now().plusSeconds(30))).isEqualTo(Disposition.RETRIED);
        assertThat(type.runs().get(0).cancellationRequested()).isFalse();
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.RETRYING);
    }

    @Test
    void aCancelledJobsMessage_isAcknowledgedWithoutRunning() throws Exception {
        IncomingMessage m = delivery();
        assertThat(store.cancel(job.jobId(), Duration.ofDays(1))).isEqualTo(JobStore.Cancellation.CANCELLED);
        assertThat(worker.process(m, Instant.now().plusSeconds(30))).isEqualTo(Disposition.SKIPPED);
        assertThat(type.runs()).isEmpty();
        assertThat(store.find(job.jobId()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void progress_reportedByTheHandler_isOnTheRecord_throttledButTheLastOneKept() throws Exception {
        IncomingMessage m = delivery();
        type.then((Callable<Outcome>) () -> {
            var ctx = type.runs().get(0);
            ctx.progress(10, "started");
            ctx.progress(20, "dropped: within a second of the last write");
            assertThat(store.find(job.jobId()).orElseThrow().progress().percent()).isEqualTo(10);
            ctx.progress(100, "done");
            return Outcome.succeeded(null);
        });
        worker.process(m, Instant.now().plusSeconds(30));
        // Written while running; the record keeps the last report once finished.
        assertThat(store.find(job.jobId()).orElseThrow().progress().message()).isEqualTo("done");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new io.durablejobs.core.job.Progress(101, "x", now))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRetryingJob_showsWhenItsNextAttemptIsDue_andItsFailureHistory() throws Exception {
        IncomingMessage m = delivery();
        type.then(Outcome.retry("HTTP 503"));
        Instant before = Instant.now();
        worker.process(m, Instant.now().plusSeconds(30));
        var r = store.find(job.jobId()).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.RETRYING);
        assertThat(r.nextAttemptAt()).isAfter(before);
        assertThat(r.history()).singleElement().satisfies(e -> assertThat(e.error()).isEqualTo("HTTP 503"));
        var view = io.durablejobs.core.api.JobViews.status(r);
        assertThat(view.get("nextAttemptAt").asText()).isEqualTo(r.nextAttemptAt().toString());
        assertThat(view.get("history").get(0).get("reason").asText()).isEqualTo("retryable");
    }
}
