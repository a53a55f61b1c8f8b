package io.durablejobs.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.ledger.InMemoryLedger;
import io.durablejobs.core.port.Transition;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/jobs/{jobId}/cancel}: not started is cancelled at once and counted; running is asked; finished is a 409. */
class JobCancellationTest {
    static final String KEY_A = "key-aaaaaaaaaaaaaaaa";
    static final String KEY_B = "key-bbbbbbbbbbbbbbbb";
    final Clock clock = Clock.systemUTC();
    final InMemoryJobStore store = new InMemoryJobStore(clock);
    final InMemoryLedger ledger = new InMemoryLedger();
    final JobTypeRegistry registry = JobTypeRegistry.of(new ScriptedJobType("echo", 3));
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), registry.names());
    final JobsApi api = new JobsApi(ApiKeys.parse("a=" + KEY_A + ",b=" + KEY_B), 4096, new SubmitRequestParser(registry),
            new SubmitService(store, new RecordingPublisher(), new JobMessages(topology), Duration.ofDays(1), clock, ledger), store,
            new InMemoryIdempotencyStore(clock), new JobsApi.IdempotencySettings(Duration.ofHours(24), Duration.ofSeconds(15)), clock,
            List.of(), LoadControl.NONE, new JobCancellation(store, ledger, Duration.ofDays(1)),
            new JobListing(io.durablejobs.core.port.JobIndex.NONE, store));

    ApiResponse call(String method, String path, String key, String body) {
        return api.handle(new ApiRequest(method, path, Map.of(), Map.of("authorization", "Bearer " + key, "content-type", "application/json"),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), "r"));
    }

    String submit(String extra) throws Exception {
        return Json.MAPPER.readTree(call("POST", "/v1/jobs", KEY_A, "{\"type\":\"echo\",\"payload\":{}" + extra + "}").body())
                .get("jobId").asText();
    }

    static JsonNode json(ApiResponse r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void queuedOrScheduled_isCancelledAtOnce_theClaimRefusesIt_andTheLedgerBalances() throws Exception {
        String queued = submit("");
        String scheduled = submit(",\"delay\":\"PT1H\"");
        for (String id : List.of(queued, scheduled)) {
            ApiResponse r = call("POST", "/v1/jobs/" + id + "/cancel", KEY_A, null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(json(r).get("status").asText()).isEqualTo("cancelled");
            assertThat(json(call("GET", "/v1/jobs/" + id, KEY_A, null)).get("status").asText()).isEqualTo("cancelled");
            JobEnvelope job = new JobEnvelope(id, "a", "echo", Json.MAPPER.createObjectNode(), 4, java.time.Instant.now());
            assertThat(store.claim(job, 1, Duration.ofMinutes(1), 5, Duration.ofDays(1)))
                    .isInstanceOf(io.durablejobs.core.port.Claim.Finished.class);
        }
        assertThat(call("POST", "/v1/jobs/" + queued + "/cancel", KEY_A, null).status()).as("again: same answer").isEqualTo(200);
        var counts = ledger.read("a");
        assertThat(counts.cancelled()).as("counted once each").isEqualTo(2);
        assertThat(counts.inFlight()).isZero();
        assertThat(counts.balanced()).isTrue();
    }

    @Test
    void running_isAskedToStop_202_andGetShowsTheRequest() throws Exception {
        String id = submit("");
        store.transition(id, Transition.to(JobStatus.RUNNING, 1), Duration.ofDays(1));
        ApiResponse r = call("POST", "/v1/jobs/" + id + "/cancel", KEY_A, null);
        assertThat(r.status()).isEqualTo(202);
        assertThat(json(r).get("cancelRequested").asBoolean()).isTrue();
        JsonNode status = json(call("GET", "/v1/jobs/" + id, KEY_A, null));
        assertThat(status.get("status").asText()).isEqualTo("running");
        assertThat(status.get("cancelRequested").asBoolean()).isTrue();
        assertThat(ledger.read("a").cancelled()).isZero();
    }

    @Test
    void finished_is409_andUnknownOrAnotherTenants_is404() throws Exception {
        String id = submit("");
        store.transition(id, Transition.to(JobStatus.RUNNING, 1), Duration.ofDays(1));
        store.transition(id, Transition.to(JobStatus.SUCCEEDED, 1), Duration.ofDays(1));
        ApiResponse done = call("POST", "/v1/jobs/" + id + "/cancel", KEY_A, null);
        assertThat(done.status()).isEqualTo(409);
        assertThat(done.bodyText()).contains("/problems/job-finished", "succeeded");
        String other = submit("");
        assertThat(call("POST", "/v1/jobs/" + other + "/cancel", KEY_B, null).status()).isEqualTo(404);
        assertThat(json(call("GET", "/v1/jobs/" + other, KEY_A, null)).get("status").asText()).isEqualTo("queued");
        assertThat(call("POST", "/v1/jobs/nope/cancel", KEY_A, null).status()).isEqualTo(404);
        ApiResponse get = call("GET", "/v1/jobs/" + other + "/cancel", KEY_A, null);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers()).containsEntry("Allow", "POST");
    }
}
