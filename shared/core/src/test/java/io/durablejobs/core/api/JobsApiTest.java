package io.durablejobs.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.testing.InMemoryIdempotencyStore;
import io.durablejobs.core.testing.InMemoryJobStore;
import io.durablejobs.core.testing.RecordingPublisher;
import io.durablejobs.core.testing.ScriptedJobType;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.work.JobHeaders;
import io.durablejobs.core.work.JobMessages;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API's answers to good and bad requests, over fakes of the broker and the store. */
class JobsApiTest {
    static final String KEY_A = "key-aaaaaaaaaaaaaaaa";
    static final String KEY_B = "key-bbbbbbbbbbbbbbbb";

    final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());
    final RecordingPublisher publisher = new RecordingPublisher();
    final JobTypeRegistry registry = JobTypeRegistry.of(new ScriptedJobType("echo", 3));
    final Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), registry.names());
    final InMemoryIdempotencyStore idempotency = new InMemoryIdempotencyStore(Clock.systemUTC());
    final JobsApi api = new JobsApi(ApiKeys.parse("a=" + KEY_A + ",b=" + KEY_B), 1024 * 4, new SubmitRequestParser(registry),
            new SubmitService(store, publisher, new JobMessages(topology), Duration.ofDays(1), Clock.systemUTC()), store,
            idempotency, new JobsApi.IdempotencySettings(Duration.ofHours(24), Duration.ofSeconds(15)), Clock.systemUTC());

    ApiResponse call(String method, String path, String key, String body) {
        return call(method, path, key, body, null);
    }

    ApiResponse call(String method, String path, String key, String body, String idempotencyKey) {
        Map<String, String> h = new HashMap<>();
        if (idempotencyKey != null) {
            h.put("idempotency-key", idempotencyKey);
        }
        if (key != null) {
            h.put("authorization", "Bearer " + key);
        }
        h.put("content-type", "application/json");
        return api.handle(new ApiRequest(method, path, Map.of(), h, body == null ? null : body.getBytes(StandardCharsets.UTF_8), "req-1"));
    }

    static JsonNode json(ApiResponse r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void submit_accepts_publishesPersistentJob_andAnswers202WithLocation() throws Exception {
        ApiResponse r = call("POST", "/v1/jobs", KEY_A, "{\"type\":\"echo\",\"payload\":{\"x\":1},\"priority\":7}");
        assertThat(r.status()).isEqualTo(202);
        JsonNode body = json(r);
        String id = body.get("jobId").asText();
        assertThat(body.get("status").asText()).isEqualTo("queued");
        assertThat(body.get("type").asText()).isEqualTo("echo");
        assertThat(r.headers()).containsEntry("Location", "/v1/jobs/" + id);
        assertThat(publisher.published()).hasSize(1);
        var m = publisher.published().get(0);
        assertThat(m.exchange()).isEqualTo("t.jobs");
        assertThat(m.routingKey()).isEqualTo("echo");
        assertThat(m.priority()).isEqualTo(7);
        assertThat(m.headers()).containsEntry(JobHeaders.ATTEMPT, 1).containsKey(JobHeaders.TRACEPARENT);
        assertThat(JobMessages.decode(m.body()).tenant()).isEqualTo("a");
    }

    @Test
    void get_returnsTheJob_toItsTenantOnly() throws Exception {
        String id = json(call("POST", "/v1/jobs", KEY_A, "{\"type\":\"echo\",\"payload\":{}}")).get("jobId").asText();
        ApiResponse mine = call("GET", "/v1/jobs/" + id, KEY_A, null);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(json(mine).get("status").asText()).isEqualTo("queued");
        assertThat(json(mine).get("attempts").asInt()).isZero();
        assertThat(call("GET", "/v1/jobs/" + id, KEY_B, null).status()).isEqualTo(404);
    }

    @Test
    void get_unknownOrMalformedId_is404() {
        assertThat(call("GET", "/v1/jobs/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", KEY_A, null).status()).isEqualTo(404);
        assertThat(call("GET", "/v1/jobs/not-an-id", KEY_A, null).status()).isEqualTo(404);
    }

    @Test
    void brokerNotConfirming_answers503_andLeavesNoJobBehind() throws Exception {
        publisher.setRefusing(true);
        ApiResponse r = call("POST", "/v1/jobs", KEY_A, "{\"type\":\"echo\",\"payload\":{}}");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).containsEntry("Retry-After", "1").containsEntry("Content-Type", Problem.CONTENT_TYPE);
        assertThat(publisher.published()).isEmpty();
        // nothing queryable either: the record written before publishing was removed
        publisher.setRefusing(false);
        String ok = json(call("POST", "/v1/jobs", KEY_A, "{\"type\":\"echo\",\"payload\":{}}")).get("jobId").asText();
        assertThat(store.find(ok)).isPresent();
    }

    @Test
    void storeDown_answers503_notA500() {
        store.setDown(true);
        ApiResponse r = call("POST", "/v1/jobs", KEY_A, "{\"type\":\"echo\",\"payload\":{}}");
        assertThat(r.status()).isEqualTo(503);
        assertThat(publisher.published()).isEmpty();
    }

    record Bad(String name, String key, String body, int status, String slug, String field) {
    }

    @Test
    void badInput_getsTheDocumented4xx_asProblemJson_neverA5xx() throws Exception {
        List<Bad> cases = List.of(
                new Bad("no key", null, "{}", 401, "unauthorized", null),
                new Bad("wrong key", "key-zzzzzzzzzzzzzzzzzz", "{}", 401, "unauthorized", null),
                new Bad("malformed json", KEY_A, "{\"type\":", 400, "malformed-json", null),
                new Bad("trailing garbage", KEY_A, "{\"type\":\"echo\",\"payload\":{}} x", 400, "malformed-json", null),
                new Bad("empty body", KEY_A, "", 400, "malformed-json", null),
                new Bad("array body", KEY_A, "[]", 400, "validation", "(body)"),
                new Bad("missing type", KEY_A, "{\"payload\":{}}", 400, "validation", "type"),
                new Bad("type not a string", KEY_A, "{\"type\":5,\"payload\":{}}", 400, "validation", "type"),
                new Bad("unknown type", KEY_A, "{\"type\":\"nope\",\"payload\":{}}", 400, "validation", "type"),
                new Bad("missing payload", KEY_A, "{\"type\":\"echo\"}", 400, "validation", "payload"),
                new Bad("payload not an object", KEY_A, "{\"type\":\"echo\",\"payload\":\"x\"}", 400, "validation", "payload"),
                new Bad("payload fails the type's schema", KEY_A, "{\"type\":\"echo\",\"payload\":{\"bad\":1}}", 400, "validation", "payload.bad"),
                new Bad("priority out of range", KEY_A, "{\"type\":\"echo\",\"payload\":{},\"priority\":10}", 400, "validation", "priority"),
                new Bad("priority past 2^64 (wraps to 5 as a long)", KEY_A, "{\"type\":\"echo\",\"payload\":{},\"priority\":18446744073709551621}", 400, "validation", "priority"),
                new Bad("priority past 2^32 (wraps to 5 as an int)", KEY_A, "{\"type\":\"echo\",\"payload\":{},\"priority\":4294967301}", 400, "validation", "priority"),
                new Bad("priority not an integer", KEY_A, "{\"type\":\"echo\",\"payload\":{},\"priority\":1.5}", 400, "validation", "priority"),
                new Bad("unknown field", KEY_A, "{\"type\":\"echo\",\"payload\":{},\"color\":\"red\"}", 400, "validation", "color"),
                new Bad("duplicate key", KEY_A, "{\"type\":\"echo\",\"type\":\"echo\",\"payload\":{}}", 400, "malformed-json", null),
                new Bad("oversized", KEY_A, "{\"type\":\"echo\",\"payload\":{\"s\":\"" + "x".repeat(5000) + "\"}}", 413, "too-large", null));
        for (Bad c : cases) {
            ApiResponse r = call("POST", "/v1/jobs", c.key(), c.body());
            assertThat(r.status()).as(c.name()).isEqualTo(c.status());
            assertThat(r.headers().get("Content-Type")).as(c.name()).isEqualTo("application/problem+json");
            JsonNode p = json(r);
            assertThat(p.get("type").asText()).as(c.name()).isEqualTo("/problems/" + c.slug());
            assertThat(p.get("status").asInt()).as(c.name()).isEqualTo(c.status());
            assertThat(p.get("title").asText()).as(c.name()).isNotBlank();
            assertThat(p.get("detail").asText()).as(c.name()).isNotBlank();
            if (c.field() != null) {
                assertThat(p.get("errors").findValuesAsText("field")).as(c.name()).contains(c.field());
                assertThat(p.get("detail").asText()).as(c.name()).contains(c.field());
            }
        }
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void aBodyThatIsNotValidUtf8_is400MalformedJson_notSilentlyRepaired() throws Exception {
        byte[] body = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', 'e', 'c', 'h', 'o', '"', ',', '"', 'p', 'a', 'y', 'l', 'o', 'a', 'd',
            '"', ':', '{', '"', 's', '"', ':', '"', (byte) 0xc3, '(', '"', '}', '}'};
        ApiResponse r = api.handle(new ApiRequest("POST", "/v1/jobs", Map.of(),
                Map.of("authorization", "Bearer " + KEY_A, "content-type", "application/json"), body, "req-1"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).get("type").asText()).isEqualTo("/problems/malformed-json");
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void wrongContentType_is415_andWrongMethod_is405WithAllow() {
        Map<String, String> h = Map.of("authorization", "Bearer " + KEY_A, "content-type", "text/plain");
        ApiResponse r = api.handle(new ApiRequest("POST", "/v1/jobs", Map.of(), h, "{}".getBytes(StandardCharsets.UTF_8), "r"));
        assertThat(r.status()).isEqualTo(415);
        ApiResponse m = call("DELETE", "/v1/jobs", KEY_A, null);
        assertThat(m.status()).isEqualTo(405);
        assertThat(m.headers()).containsEntry("Allow", "GET, POST");
    }

    @Test
    void unknownRoute_is404() {
        assertThat(call("GET", "/v2/things", KEY_A, null).status()).isEqualTo(404);
    }

    @Test
    void incomingTraceparent_isCarriedOn() {
        Map<String, String> h = Map.of("authorization", "Bearer " + KEY_A,
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        api.handle(new ApiRequest("POST", "/v1/jobs", Map.of(), h,
                "{\"type\":\"echo\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8), "r"));
        assertThat(publisher.published().get(0).headers().get(JobHeaders.TRACEPARENT))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    static final String JOB = "{\"type\":\"echo\",\"payload\":{\"x\":1,\"y\":[1,2]}}";

    @Test
    void sameKeySameRequest_replaysTheFirstResponse_andMakesOneJob() throws Exception {
        ApiResponse first = call("POST", "/v1/jobs", KEY_A, JOB, "order-42");
        // Key order in the payload does not change the request's fingerprint.
        ApiResponse again = call("POST", "/v1/jobs", KEY_A, "{\"payload\":{\"y\":[1,2],\"x\":1},\"type\":\"echo\"}", "\"order-42\"");
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.bodyText()).isEqualTo(first.bodyText());
        assertThat(again.headers()).containsEntry("Idempotent-Replayed", "true").containsEntry("Location", first.headers().get("Location"));
        assertThat(first.headers()).doesNotContainKey("Idempotent-Replayed");
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void sameKeyDifferentRequest_is422() {
        call("POST", "/v1/jobs", KEY_A, JOB, "k1");
        ApiResponse r = call("POST", "/v1/jobs", KEY_A, "{\"type\":\"echo\",\"payload\":{\"x\":2}}", "k1");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.bodyText()).contains("/problems/idempotency-key-reused");
        assertThat(publisher.published()).hasSize(1);
    }

    @Test
    void sameKeyWhileTheFirstIsBeingAccepted_is409() {
        idempotency.claim("a", "busy", IdempotencyKeys.fingerprint(new SubmitRequest("echo", Json.MAPPER.createObjectNode().put("x", 1), 4)),
                io.durablejobs.core.job.JobIds.newId(1), java.time.Instant.now(), Duration.ofMinutes(1), Duration.ofHours(1));
        ApiResponse r = call("POST", "/v1/jobs", KEY_A, "{\"type\":\"echo\",\"payload\":{\"x\":1}}", "busy");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.headers()).containsEntry("Retry-After", "1");
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void sameKeyInTwoTenants_makesTwoJobs() throws Exception {
        String a = json(call("POST", "/v1/jobs", KEY_A, JOB, "shared")).get("jobId").asText();
        String b = json(call("POST", "/v1/jobs", KEY_B, JOB, "shared")).get("jobId").asText();
        assertThat(a).isNotEqualTo(b);
        assertThat(publisher.published()).hasSize(2);
    }

    @Test
    void unconfirmedPublish_answers503_andARetryResumesTheSameJobId() throws Exception {
        publisher.setRefusing(true);
        assertThat(call("POST", "/v1/jobs", KEY_A, JOB, "retry-me").status()).isEqualTo(503);
        publisher.setRefusing(false);
        ApiResponse retry = call("POST", "/v1/jobs", KEY_A, JOB, "retry-me");
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.headers()).doesNotContainKey("Idempotent-Replayed");
        String id = json(retry).get("jobId").asText();
        assertThat(publisher.published()).hasSize(1);
        assertThat(JobMessages.decode(publisher.published().get(0).body()).jobId()).isEqualTo(id);
        // and the key is now completed: a third call replays
        assertThat(call("POST", "/v1/jobs", KEY_A, JOB, "retry-me").headers()).containsEntry("Idempotent-Replayed", "true");
    }

    @Test
    void invalidIdempotencyKeys_are400_andTouchNothing() {
        for (String bad : new String[] {"", "x".repeat(256), "caf\u00e9", "tab\there", "\"a\"b\""}) {
            ApiResponse r = call("POST", "/v1/jobs", KEY_A, JOB, bad);
            assertThat(r.status()).as("key %s", bad).isEqualTo(400);
            assertThat(r.bodyText()).contains("/problems/invalid-idempotency-key");
        }
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void invalidBody_withAKey_leavesTheKeyFree() {
        assertThat(call("POST", "/v1/jobs", KEY_A, "{\"type\":\"nope\",\"payload\":{}}", "fresh").status()).isEqualTo(400);
        assertThat(call("POST", "/v1/jobs", KEY_A, JOB, "fresh").status()).isEqualTo(202);
    }

    @Test
    void idempotencyStoreDown_answers503_withoutPublishing() {
        idempotency.setDown(true);
        assertThat(call("POST", "/v1/jobs", KEY_A, JOB, "k").status()).isEqualTo(503);
        assertThat(publisher.published()).isEmpty();
    }

    JobsApi withLoad(LoadControl load) {
        return new JobsApi(ApiKeys.parse("a=" + KEY_A + ",b=" + KEY_B), 1024 * 4, new SubmitRequestParser(registry),
                new SubmitService(store, publisher, new JobMessages(topology), Duration.ofDays(1), Clock.systemUTC()), store,
                idempotency, new JobsApi.IdempotencySettings(Duration.ofHours(24), Duration.ofSeconds(15)), Clock.systemUTC(),
                List.of(), load);
    }

    static ApiRequest post(String key, String idem) {
        Map<String, String> h = new HashMap<>();
        h.put("authorization", "Bearer " + key);
        if (idem != null) {
            h.put("idempotency-key", idem);
        }
        return new ApiRequest("POST", "/v1/jobs", Map.of(), h, JOB.getBytes(StandardCharsets.UTF_8), "r");
    }

    static io.durablejobs.core.admission.Admission scripted(java.util.function.Function<String, io.durablejobs.core.admission.AdmissionDecision> f) {
        return new io.durablejobs.core.admission.Admission() {
            @Override
            public io.durablejobs.core.admission.AdmissionDecision admit(String tenant) {
                return f.apply(tenant);
            }

            @Override
            public io.durablejobs.core.admission.RateLimit tenantLimit() {
                return new io.durablejobs.core.admission.RateLimit(10, 20);
            }
        };
    }

    @Test
    void tenantOverItsRate_gets429_withRetryAfterAndRateLimitHeaders_andTouchesNothing() {
        JobsApi limited = withLoad(new LoadControl(scripted(t -> t.equals("a")
                ? new io.durablejobs.core.admission.AdmissionDecision.Rejected(io.durablejobs.core.admission.AdmissionDecision.Scope.TENANT, Duration.ofMillis(1200))
                : new io.durablejobs.core.admission.AdmissionDecision.Admitted(19, Duration.ofMillis(100))), io.durablejobs.core.admission.QueueDepths.UNKNOWN, 0));
        ApiResponse r = limited.handle(post(KEY_A, "k-rate"));
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.headers()).containsEntry("Retry-After", "2").containsEntry("RateLimit-Policy", "\"tenant\";q=20;w=2")
                .containsEntry("RateLimit", "\"tenant\";r=0;t=2");
        assertThat(r.bodyText()).contains("/problems/rate-limited");
        ApiResponse other = limited.handle(post(KEY_B, null));
        assertThat(other.status()).isEqualTo(202);
        assertThat(other.headers()).containsEntry("RateLimit", "\"tenant\";r=19;t=1");
        assertThat(publisher.published()).hasSize(1);
        // The rejected request did not claim its idempotency key.
        assertThat(api.handle(post(KEY_A, "k-rate")).status()).isEqualTo(202);
    }

    @Test
    void work_startsOnlyForRequestsLetThrough_andTheRequestItReturnsIsTheOneWorkedOn() {
        JobsApi limited = withLoad(new LoadControl(scripted(t -> t.equals("a")
                ? new io.durablejobs.core.admission.AdmissionDecision.Rejected(io.durablejobs.core.admission.AdmissionDecision.Scope.TENANT, Duration.ofMillis(1200))
                : new io.durablejobs.core.admission.AdmissionDecision.Admitted(19, Duration.ofMillis(100))), io.durablejobs.core.admission.QueueDepths.UNKNOWN, 0));
        java.util.List<String> started = new java.util.ArrayList<>();
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        JobsApi.Work work = req -> {
            started.add(req.method() + " " + req.path());
            Map<String, String> h = new HashMap<>(req.headers());
            h.put("traceparent", trace);
            return new ApiRequest(req.method(), req.path(), req.query(), h, req.body(), req.requestId());
        };
        // Refused by admission, or unauthenticated: the work never starts.
        assertThat(limited.handle(post(KEY_A, null), work).status()).isEqualTo(429);
        assertThat(limited.handle(post("not-a-key", null), work).status()).isEqualTo(401);
        assertThat(started).isEmpty();
        // Admitted: it starts once, and the job carries what it added.
        assertThat(limited.handle(post(KEY_B, null), work).status()).isEqualTo(202);
        assertThat(started).containsExactly("POST /v1/jobs");
        assertThat(publisher.published().get(0).headers().get(JobHeaders.TRACEPARENT)).isEqualTo(trace);
        // Other routes start it once they are authenticated.
        assertThat(limited.handle(new ApiRequest("GET", "/v1/jobs/nope", Map.of(), Map.of("authorization", "Bearer " + KEY_B),
                new byte[0], "r"), work).status()).isEqualTo(404);
        assertThat(started).containsExactly("POST /v1/jobs", "GET /v1/jobs/nope");
    }

    @Test
    void overTheGlobalBudget_is503_notA429() {
        JobsApi limited = withLoad(new LoadControl(scripted(t -> new io.durablejobs.core.admission.AdmissionDecision.Rejected(
                io.durablejobs.core.admission.AdmissionDecision.Scope.GLOBAL, Duration.ofMillis(300))), io.durablejobs.core.admission.QueueDepths.UNKNOWN, 0));
        ApiResponse r = limited.handle(post(KEY_A, null));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.headers()).containsEntry("Retry-After", "1");
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void queueOverItsHighWaterMark_sheds503_withoutPublishingOrClaimingTheKey() {
        JobsApi shedding = withLoad(new LoadControl(io.durablejobs.core.admission.Admission.UNLIMITED, type -> 1000, 1000));
        ApiResponse r = shedding.handle(post(KEY_A, "k-shed"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.bodyText()).contains("/problems/overloaded", "echo");
        assertThat(publisher.published()).isEmpty();
        assertThat(withLoad(new LoadControl(io.durablejobs.core.admission.Admission.UNLIMITED, type -> 999, 1000))
                .handle(post(KEY_A, "k-shed")).status()).isEqualTo(202);
    }
}
