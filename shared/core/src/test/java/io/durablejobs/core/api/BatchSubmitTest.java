package io.durablejobs.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.admission.Admission;
import io.durablejobs.core.admission.AdmissionDecision;
import io.durablejobs.core.admission.QueueDepths;
import io.durablejobs.core.admission.RateLimit;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.ledger.InMemoryLedger;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.testing.InMemoryIdempotencyStore;
import io.durablejobs.core.testing.InMemoryJobIndex;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/jobs/batch} over fakes: one result per item, the status that sums them up, the shared key protocol. */
class BatchSubmitTest {
    static final String KEY = "key-aaaaaaaaaaaaaaaa";

    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final RecordingPublisher publisher = new RecordingPublisher();
    final InMemoryJobIndex index = new InMemoryJobIndex();
    final InMemoryLedger ledger = new InMemoryLedger();
    final JobTypeRegistry registry = JobTypeRegistry.of(new ScriptedJobType("echo", 3));
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), registry.names());
    final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore(Clock.systemUTC());
    /** Jobs the tenant may still submit; -1: unlimited. */
    final AtomicInteger quota = new AtomicInteger(-1);
    final JobsApi api = api();

    JobsApi api() {
        Admission admission = new Admission() {
            @Override
            public AdmissionDecision admit(String tenant) {
                return admit(tenant, 1);
            }

            @Override
            public AdmissionDecision admit(String tenant, int jobs) {
                int left = quota.get();
                if (left < 0) {
                    return new AdmissionDecision.Admitted(100, Duration.ZERO, jobs);
                }
                if (left == 0) {
                    return new AdmissionDecision.Rejected(AdmissionDecision.Scope.TENANT, Duration.ofMillis(1500));
                }
                int granted = Math.min(left, jobs);
                quota.addAndGet(-granted);
                return new AdmissionDecision.Admitted(left - granted, Duration.ofSeconds(1), granted);
            }

            @Override
            public RateLimit tenantLimit() {
                return new RateLimit(10, 20);
            }
        };
        SubmitService submit = new SubmitService(store, publisher, new JobMessages(topology), Duration.ofDays(1), Clock.systemUTC(), ledger,
                index, Duration.ofDays(2));
        return new JobsApi(ApiKeys.parse("a=" + KEY), 4096, new SubmitRequestParser(registry), submit, store, idempotency,
                new JobsApi.IdempotencySettings(Duration.ofHours(24), Duration.ofSeconds(15)), Clock.systemUTC(), List.of(),
                new LoadControl(admission, QueueDepths.UNKNOWN, 0));
    }

    ApiResponse post(String path, String body, String idempotencyKey) {
        Map<String, String> h = new HashMap<>();
        h.put("authorization", "Bearer " + KEY);
        h.put("content-type", "application/json");
        if (idempotencyKey != null) {
            h.put("idempotency-key", idempotencyKey);
        }
        return api.handle(new ApiRequest("POST", path, Map.of(), h, body.getBytes(StandardCharsets.UTF_8), "req-1"));
    }

    ApiResponse batch(String body) {
        return post("/v1/jobs/batch", body, null);
    }

    static JsonNode json(ApiResponse r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    /** Each item's own status (not the nested problems' numeric ones). */
    static List<String> statuses(JsonNode results) {
        List<String> out = new java.util.ArrayList<>();
        results.forEach(r -> out.add(r.get("status").asText()));
        return out;
    }

    static String echo(int x, String key) {
        return "{\"type\":\"echo\",\"payload\":{\"x\":" + x + "}" + (key == null ? "" : ",\"idempotencyKey\":\"" + key + "\"") + "}";
    }

    @Test
    void mixedItems_eachGetsItsOwnResult_inOrder_andTheBatchIs207() throws Exception {
        ApiResponse r = batch("{\"jobs\":[" + echo(1, null) + ",{\"type\":\"nope\",\"payload\":{},\"colour\":1}," + echo(3, "k-3") + ",7]}");

        assertThat(r.status()).as(r.bodyText()).isEqualTo(207);
        JsonNode b = json(r);
        assertThat(b.get("accepted").asInt()).isEqualTo(2);
        assertThat(b.get("replayed").asInt()).isZero();
        assertThat(b.get("rejected").asInt()).isEqualTo(2);
        JsonNode results = b.get("results");
        assertThat(results).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
        }
        assertThat(results.get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(results.get(0).get("jobStatus").asText()).isEqualTo("queued");
        JsonNode bad = results.get(1).get("problem");
        assertThat(results.get(1).get("status").asText()).isEqualTo("rejected");
        assertThat(bad.get("type").asText()).isEqualTo("/problems/validation");
        assertThat(bad.get("errors").findValuesAsText("field")).contains("jobs[1].type", "jobs[1].colour");
        assertThat(results.get(3).get("problem").get("errors").get(0).get("field").asText()).isEqualTo("jobs[3]");
        assertThat(publisher.published()).hasSize(2);
        assertThat(store.size()).isEqualTo(2);
        assertThat(index.page("a", null, null, null, 10)).hasSize(2);
        assertThat(ledger.read("a").accepted()).isEqualTo(2);
    }

    @Test
    void replayedItems_returnTheOriginalJob_andAReusedKeyWithAnotherJob_isThatItemsProblem() throws Exception {
        JsonNode first = json(batch("{\"jobs\":[" + echo(1, "k-1") + "," + echo(2, "k-2") + "]}"));
        String job1 = first.get("results").get(0).get("jobId").asText();

        ApiResponse again = batch("{\"jobs\":[" + echo(1, "k-1") + "," + echo(99, "k-2") + "," + echo(3, null) + "]}");

        assertThat(again.status()).isEqualTo(207);
        JsonNode results = json(again).get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("replayed");
        assertThat(results.get(0).get("jobId").asText()).isEqualTo(job1);
        assertThat(results.get(0).get("jobStatus").asText()).isEqualTo("queued");
        assertThat(results.get(1).get("problem").get("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(results.get(1).get("problem").get("status").asInt()).isEqualTo(422);
        assertThat(results.get(2).get("status").asText()).isEqualTo("accepted");
        assertThat(publisher.published()).hasSize(3);
    }

    @Test
    void aKeyMeansTheSameOnBothRoutes() throws Exception {
        String single = json(post("/v1/jobs", "{\"type\":\"echo\",\"payload\":{\"x\":5}}", "shared-key")).get("jobId").asText();

        JsonNode viaBatch = json(batch("{\"jobs\":[" + echo(5, "shared-key") + "," + echo(6, "batch-key") + "]}")).get("results");
        assertThat(viaBatch.get(0).get("status").asText()).isEqualTo("replayed");
        assertThat(viaBatch.get(0).get("jobId").asText()).isEqualTo(single);

        ApiResponse viaSingle = post("/v1/jobs", "{\"type\":\"echo\",\"payload\":{\"x\":6}}", "batch-key");
        assertThat(viaSingle.status()).isEqualTo(202);
        assertThat(viaSingle.headers()).containsEntry("Idempotent-Replayed", "true");
        assertThat(json(viaSingle).get("jobId").asText()).isEqualTo(viaBatch.get(1).get("jobId").asText());
        assertThat(publisher.published()).hasSize(2);
    }

    @Test
    void oneKeyTwiceInOneBatch_makesOneJob() throws Exception {
        JsonNode b = json(batch("{\"jobs\":[" + echo(1, "dup") + "," + echo(1, "dup") + "," + echo(2, "dup") + "]}"));

        JsonNode results = b.get("results");
        assertThat(results.get(0).get("status").asText()).isEqualTo("accepted");
        assertThat(results.get(1).get("status").asText()).isEqualTo("replayed");
        assertThat(results.get(1).get("jobId").asText()).isEqualTo(results.get(0).get("jobId").asText());
        assertThat(results.get(2).get("problem").get("type").asText()).isEqualTo("/problems/idempotency-key-reused");
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void delayedItems_areScheduled_likeDelayedSingleSubmits() throws Exception {
        String runAt = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        JsonNode r = json(batch("{\"jobs\":[{\"type\":\"echo\",\"payload\":{},\"runAt\":\"" + runAt + "\"},"
                + "{\"type\":\"echo\",\"payload\":{},\"delay\":\"PT10M\"}]}")).get("results");

        assertThat(r.get(0).get("jobStatus").asText()).isEqualTo("scheduled");
        assertThat(r.get(0).get("runAt").asText()).isEqualTo(runAt);
        assertThat(r.get(1).get("jobStatus").asText()).isEqualTo("scheduled");
        assertThat(store.find(r.get(0).get("jobId").asText()).orElseThrow().runAt()).isEqualTo(Instant.parse(runAt));
        assertThat(publisher.published()).allSatisfy(m -> assertThat(m.exchange()).isNotEqualTo("t.jobs"));
        assertThat(index.page("a", null, null, null, 10)).hasSize(2);
    }

    @Test
    void unconfirmedPublishes_leaveNoJobBehind_andTheSameBatchAgainMakesEachJobOnce() throws Exception {
        String body = "{\"jobs\":[" + echo(1, "u-1") + "," + echo(2, "u-2") + "]}";
        publisher.setRefusing(true);

        ApiResponse refused = batch(body);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(statuses(json(refused).get("results"))).containsOnly("rejected");
        assertThat(json(refused).get("results").get(0).get("problem").get("type").asText()).isEqualTo("/problems/unavailable");
        assertThat(store.size()).isZero();
        assertThat(index.page("a", null, null, null, 10)).isEmpty();
        assertThat(ledger.read("a").accepted()).isZero();

        publisher.setRefusing(false);
        ApiResponse retried = batch(body);
        assertThat(retried.status()).isEqualTo(202);
        assertThat(store.size()).isEqualTo(2);
        ApiResponse third = batch(body);
        assertThat(json(third).get("replayed").asInt()).isEqualTo(2);
        assertThat(publisher.published()).hasSize(2);
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void theTenantIsChargedPerJob_andItemsPastItsQuotaAreRateLimited() throws Exception {
        quota.set(2);
        ApiResponse r = batch("{\"jobs\":[" + echo(1, null) + ",{\"type\":\"nope\",\"payload\":{}}," + echo(2, null) + "," + echo(3, null) + "]}");

        assertThat(r.status()).isEqualTo(207);
        JsonNode results = json(r).get("results");
        assertThat(statuses(results)).containsExactly("accepted", "rejected", "accepted", "rejected");
        assertThat(results.get(3).get("problem").get("type").asText()).isEqualTo("/problems/rate-limited");
        assertThat(quota.get()).isZero();

        ApiResponse none = batch("{\"jobs\":[" + echo(4, null) + "]}");
        assertThat(none.status()).isEqualTo(429);
        assertThat(none.headers()).containsKey("Retry-After");
        assertThat(json(none).get("results").get(0).get("problem").get("status").asInt()).isEqualTo(429);
    }

    @Test
    void badBatches_areTheBatchsProblem() throws Exception {
        assertThat(batch("{\"jobs\":[]}").status()).isEqualTo(400);
        assertThat(batch("[]").status()).isEqualTo(400);
        assertThat(batch("{\"jobs\":{}}").status()).isEqualTo(400);
        assertThat(batch("{\"jobs\":[").status()).isEqualTo(400);
        assertThat(json(batch("{\"jobs\":[]}")).get("errors").get(0).get("field").asText()).isEqualTo("jobs");

        StringBuilder many = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i <= BatchSubmit.MAX_JOBS; i++) {
            many.append(i == 0 ? "" : ",").append(echo(i, null));
        }
        ApiResponse tooMany = batch(many.append("]}").toString());
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(json(tooMany).get("type").asText()).isEqualTo("/problems/too-large");

        String big = "{\"jobs\":[{\"type\":\"echo\",\"payload\":{\"x\":\"" + "y".repeat(BatchSubmit.MAX_BYTES) + "\"}}]}";
        assertThat(batch(big).status()).isEqualTo(413);
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void theBatchPath_isNotAJobId() throws Exception {
        Map<String, String> h = Map.of("authorization", "Bearer " + KEY);
        ApiResponse get = api.handle(new ApiRequest("GET", "/v1/jobs/batch", Map.of(), h, null, "req-2"));
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers()).containsEntry("Allow", "POST");
    }
}
