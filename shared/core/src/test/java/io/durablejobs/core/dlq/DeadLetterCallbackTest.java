package io.durablejobs.core.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.api.SubmitService;
import io.durablejobs.core.event.CompletionCallbacks;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.ledger.InMemoryLedger;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.testing.InMemoryJobStore;
import io.durablejobs.core.testing.RecordingPublisher;
import io.durablejobs.core.testing.ScriptedJobType;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.work.IncomingMessage;
import io.durablejobs.core.work.JobMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A dead letter keeps the job's callbackUrl, so the job replayed from it calls back its new outcome. */
class DeadLetterCallbackTest {
    static final String URL = "https://example.com/done";
    final Instant now = Instant.parse("2026-11-30T10:00:00Z");
    final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    final String jobId = JobIds.newId(now.minusSeconds(60).toEpochMilli());
    final JobEnvelope job = new JobEnvelope(jobId, "acme", "echo", Json.MAPPER.createObjectNode().put("n", 1), 4, now.minusSeconds(60), URL);

    static IncomingMessage workerDeath(JobEnvelope job) {
        return new IncomingMessage("t.dead", JobMessages.encode(job), Map.of("x-jobs-reason", "retries_exhausted", "x-jobs-attempt", 3),
                job.jobId(), false);
    }

    @Test
    void theDecoderKeepsTheCallbackUrlOfTheJobsMessage_andNoneWhenItHadNone() {
        assertThat(DeadLetterDecoder.decode(workerDeath(job), now).callbackUrl()).isEqualTo(URL);
        assertThat(DeadLetterDecoder.decode(workerDeath(job.withCallbackUrl(null)), now).callbackUrl()).isNull();
    }

    @Test
    void theStoredFormKeepsTheCallbackUrl_throughReplayedAndLineage() {
        DeadLetter d = DeadLetterDecoder.decode(workerDeath(job), now);
        assertThat(DeadLetterJson.toJson(d).path("callbackUrl").asText()).isEqualTo(URL);
        assertThat(DeadLetterJson.parse(DeadLetterJson.bytes(d)).callbackUrl()).isEqualTo(URL);
        DeadLetter replayed = d.replayed(new DeadLetter.Replay(now, "ops", 1));
        assertThat(DeadLetterJson.parse(DeadLetterJson.bytes(replayed)).callbackUrl()).isEqualTo(URL);
        assertThat(d.inGeneration(1).after(replayed).callbackUrl()).isEqualTo(URL);
        // Records written before the field existed, and jobs without a callback, read as "no callback".
        DeadLetter none = DeadLetterDecoder.decode(workerDeath(job.withCallbackUrl(null)), now);
        assertThat(DeadLetterJson.toJson(none).has("callbackUrl")).isFalse();
        assertThat(DeadLetterJson.parse(DeadLetterJson.bytes(none)).callbackUrl()).isNull();
    }

    @Test
    void theApisDetailView_showsTheCallbackUrl_andLeavesItOutWhenThereIsNone() {
        assertThat(DeadLetterViews.full(DeadLetterDecoder.decode(workerDeath(job), now)).path("callbackUrl").asText()).isEqualTo(URL);
        assertThat(DeadLetterViews.full(DeadLetterDecoder.decode(workerDeath(job.withCallbackUrl(null)), now)).has("callbackUrl")).isFalse();
        assertThat(DeadLetterViews.summary(DeadLetterDecoder.decode(workerDeath(job), now)).has("callbackUrl")).as("the listing stays short").isFalse();
    }

    @Test
    void aReplayedJob_carriesItsCallbackUrl_andItsNewOutcomeIsCalledBackUnderTheNewGeneration() throws Exception {
        JobTypeRegistry registry = JobTypeRegistry.of(new ScriptedJobType("echo", 3), new ScriptedJobType("webhook.deliver", 8));
        Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), registry.names());
        JobMessages messages = new JobMessages(topology);
        InMemoryJobStore jobs = new InMemoryJobStore(clock);
        RecordingPublisher publisher = new RecordingPublisher();
        InMemoryDeadLetterStore dlq = new InMemoryDeadLetterStore();
        jobs.create(new JobRecord(jobId, "acme", "echo", JobStatus.DEAD_LETTERED, 3, job.createdAt(), now, null, "boom"), Duration.ofDays(1));
        dlq.put(DeadLetterDecoder.decode(workerDeath(job), now));

        ReplayService replays = new ReplayService(dlq, jobs, publisher, messages, new InMemoryLedger(), Duration.ofDays(1), clock);
        assertThat(replays.replay("acme", jobId, "ops")).isEqualTo(new ReplayOutcome.Replayed(jobId, 1));
        JobEnvelope replayed = JobMessages.decode(publisher.published().get(0).body());
        assertThat(replayed.callbackUrl()).isEqualTo(URL);
        assertThat(dlq.find("acme", jobId).orElseThrow().callbackUrl()).isEqualTo(URL);

        // The replay succeeds: its outcome is called back by a callback job of generation 1, not the dead letter's.
        CompletionCallbacks callbacks = new CompletionCallbacks(jobs, new SubmitService(jobs, publisher, messages, Duration.ofDays(7), clock),
                clock);
        callbacks.finished(replayed, new JobRecord(jobId, "acme", "echo", JobStatus.SUCCEEDED, 1, job.createdAt(), now, null, null), 1);
        assertThat(publisher.published()).hasSize(2);
        JobEnvelope callback = JobMessages.decode(publisher.published().get(1).body());
        assertThat(callback.type()).isEqualTo(CompletionCallbacks.TYPE);
        assertThat(callback.jobId()).isEqualTo(CompletionCallbacks.callbackJobId(jobId, 1, JobStatus.SUCCEEDED))
                .isNotEqualTo(CompletionCallbacks.callbackJobId(jobId, 0, JobStatus.DEAD_LETTERED));
        assertThat(callback.payload().path("url").asText()).isEqualTo(URL);
    }
}
