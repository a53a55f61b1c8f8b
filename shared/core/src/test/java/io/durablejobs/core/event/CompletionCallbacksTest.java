package io.durablejobs.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.api.ApiKeys;
import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import io.durablejobs.core.api.DelayLimits;
import io.durablejobs.core.api.JobsApi;
import io.durablejobs.core.api.SubmitRequestParser;
import io.durablejobs.core.api.SubmitService;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.testing.InMemoryIdempotencyStore;
import io.durablejobs.core.testing.InMemoryJobStore;
import io.durablejobs.core.testing.RecordingPublisher;
import io.durablejobs.core.testing.ScriptedJobType;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.work.JobMessages;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** callbackUrl: validated at submit, carried in the job's message, and enqueued once per final outcome as a webhook.deliver job. */
class CompletionCallbacksTest {
    static final String KEY = "key-aaaaaaaaaaaaaaaa";
    final Instant now = Instant.parse("2026-11-30T10:00:00Z");
    final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    final InMemoryJobStore store = new InMemoryJobStore(clock);
    final RecordingPublisher publisher = new RecordingPublisher();
    final JobTypeRegistry registry = JobTypeRegistry.of(new ScriptedJobType("echo", 3), new ScriptedJobType("webhook.deliver", 8));
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), registry.names());
    final SubmitService submit = new SubmitService(store, publisher, new JobMessages(topology), Duration.ofDays(7), clock);
    final CompletionCallbacks callbacks = new CompletionCallbacks(store, submit, clock);

    JobsApi api(boolean plainHttp, JobTypeRegistry types) {
        return new JobsApi(ApiKeys.parse("a=" + KEY), 4096, new SubmitRequestParser(types, DelayLimits.DEFAULT, clock, plainHttp),
                submit, store, new InMemoryIdempotencyStore(clock), new JobsApi.IdempotencySettings(Duration.ofHours(24), Duration.ofSeconds(15)),
                clock);
    }

    static ApiResponse post(JobsApi api, String callback) {
        String body = "{\"type\":\"echo\",\"payload\":{},\"callbackUrl\":" + callback + "}";
        return api.handle(new ApiRequest("POST", "/v1/jobs", Map.of(), Map.of("authorization", "Bearer " + KEY,
                "content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8), "r"));
    }

    static JsonNode json(ApiResponse r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void anHttpsCallbackUrl_isAccepted_andTravelsInTheJobsMessage() throws Exception {
        ApiResponse r = post(api(false, registry), "\"https://example.com/done\"");
        assertThat(r.status()).isEqualTo(202);
        JobEnvelope sent = JobMessages.decode(publisher.published().get(0).body());
        assertThat(sent.callbackUrl()).isEqualTo("https://example.com/done");
        assertThat(sent.jobId()).isEqualTo(json(r).path("jobId").asText());
    }

    @Test
    void badCallbackUrls_areProblemsWithTheFieldPath() throws Exception {
        for (String bad : List.of("42", "\"http://example.com/done\"", "\"ftp://example.com/x\"", "\"not a url\"", "\"/relative\"")) {
            ApiResponse r = post(api(false, registry), bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(json(r).path("errors").get(0).path("field").asText()).as(bad).isEqualTo("callbackUrl");
        }
        assertThat(publisher.published()).isEmpty();
        // Plain http only where webhooks may reach private networks (a receiver on the developer's machine).
        assertThat(post(api(true, registry), "\"http://127.0.0.1:9/done\"").status()).isEqualTo(202);
        // Without webhook.deliver there is nothing to deliver a callback with.
        ApiResponse none = post(api(false, JobTypeRegistry.of(new ScriptedJobType("echo", 3))), "\"https://example.com/done\"");
        assertThat(none.status()).isEqualTo(400);
        assertThat(json(none).path("errors").get(0).path("message").asText()).contains("webhook.deliver");
    }

    @Test
    void aFinalOutcome_enqueuesOneSignedWebhookJob_carryingTheEventBody_andARepeatAddsNothing() throws Exception {
        String jobId = JobIds.newId(now.toEpochMilli());
        JobEnvelope job = new JobEnvelope(jobId, "a", "echo", Json.MAPPER.createObjectNode(), 4, now, "https://example.com/done");
        JobRecord done = new JobRecord(jobId, "a", "echo", JobStatus.SUCCEEDED, 1, now, now, Json.MAPPER.createObjectNode().put("ok", true), null);
        callbacks.finished(job, done, 0);
        assertThat(publisher.published()).hasSize(1);
        OutboundMessage m = publisher.published().get(0);
        JobEnvelope cb = JobMessages.decode(m.body());
        assertThat(cb.type()).isEqualTo("webhook.deliver");
        assertThat(cb.tenant()).isEqualTo("a");
        assertThat(cb.jobId()).isEqualTo(CompletionCallbacks.callbackJobId(jobId, 0, JobStatus.SUCCEEDED));
        assertThat(cb.callbackUrl()).isNull(); // a callback has no callback of its own
        assertThat(cb.payload().path("url").asText()).isEqualTo("https://example.com/done");
        assertThat(cb.payload().path("body")).isEqualTo(CompletionEvents.body(done));
        assertThat(store.find(cb.jobId()).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);

        // Still queued (the first publish may be what failed): published again under the same job id.
        callbacks.finished(job, done, 0);
        assertThat(publisher.published()).hasSize(2);
        assertThat(JobMessages.decode(publisher.published().get(1).body()).jobId()).isEqualTo(cb.jobId());
        // Once it runs or is done, a repeat (a redelivery of the finished job) adds nothing.
        store.transition(cb.jobId(), new io.durablejobs.core.port.Transition(JobStatus.DEAD_LETTERED, 1, null, "x"), Duration.ofDays(1));
        assertThat(store.find(cb.jobId()).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        callbacks.finished(job, done, 0);
        assertThat(publisher.published()).hasSize(2);
    }

    @Test
    void noCallbackUrl_orNotFinal_enqueuesNothing() throws Exception {
        String jobId = JobIds.newId(now.toEpochMilli());
        JobEnvelope plain = new JobEnvelope(jobId, "a", "echo", Json.MAPPER.createObjectNode(), 4, now);
        callbacks.finished(plain, new JobRecord(jobId, "a", "echo", JobStatus.SUCCEEDED, 1, now, now, null, null), 0);
        callbacks.finished(plain.withCallbackUrl("https://example.com/done"),
                new JobRecord(jobId, "a", "echo", JobStatus.RETRYING, 1, now, now, null, "boom"), 0);
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void callbackJobId_isAValidJobId_fixedByJobGenerationAndStatus() {
        String jobId = JobIds.newId(now.toEpochMilli());
        String id = CompletionCallbacks.callbackJobId(jobId, 0, JobStatus.SUCCEEDED);
        assertThat(JobIds.isValid(id)).isTrue();
        assertThat(id.substring(0, 13)).isEqualTo(jobId.substring(0, 13)); // sorts beside its job
        assertThat(CompletionCallbacks.callbackJobId(jobId, 0, JobStatus.SUCCEEDED)).isEqualTo(id);
        assertThat(CompletionCallbacks.callbackJobId(jobId, 1, JobStatus.SUCCEEDED)).isNotEqualTo(id);
        assertThat(CompletionCallbacks.callbackJobId(jobId, 0, JobStatus.DEAD_LETTERED)).isNotEqualTo(id);
    }
}
