package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.adapters.schedule.RedisScheduleStore;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.json.Json;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's jobs and schedules data through the local host (submit, webhook-worker and dlq-consumer of
 * functions/functions.json) on the real broker and Redis: the list with the status and type filters, a
 * dead-lettered job's detail with its payload's secret-looking fields masked (they never leave the host
 * unmasked this way), its trace id and history, what the page may do with it, and the schedules view.
 */
class DashboardJobsIT {
    static final String KEY = "key-dashjobs-acme-aaaaaaaa";
    static final String OTHER = "key-dashjobs-other-aaaaaaa";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static HttpServer receiver;
    static LocalHost host;
    static RedisSession redis;

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(ex.getRequestURI().getPath().startsWith("/gone") ? 410 : 204, -1);
            ex.close();
        });
        receiver.start();
        Map<String, String> env = ItSupport.hostEnv(ItSupport.namespace());
        env.put("JOBS_API_KEYS", "acme=" + KEY + ",other=" + OTHER);
        env.put("JOBS_WEBHOOK_SIGNING_SECRET", SECRET);
        env.put("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../functions/functions.json"))
                .withFunctions("submit", "webhook-worker", "dlq-consumer").withHttpPort(0));
        JobsConfig cfg = JobsConfig.from(host.env());
        redis = RedisSession.open(cfg.redisUri(), cfg.redisCluster(), RedisSession.DEFAULT_COMMAND_TIMEOUT, cfg.tlsTrustStore());
    }

    @AfterAll
    static void stop() {
        RedisScheduleStore store = new RedisScheduleStore(redis.commands(), new RedisKeys(host.namespace()));
        store.list("acme").forEach(s -> store.delete("acme", s.id()));
        redis.close();
        host.close();
        ItSupport.deleteTopology(host.topology());
        receiver.stop(0);
    }

    static HttpResponse<String> call(String key, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(host.apiUrl().resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = call(KEY, "GET", path, null);
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    static String target(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    @Test
    void jobsView_filters_andADeadLetteredJobsDetail_masksSecretLookingFields() throws Exception {
        String dead = "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + target("/gone") + "\",\"headers\":{\"Authorization\":\"Bearer tok-SHOULD-NOT-SHOW\","
                + "\"X-Order\":\"o-77\"},\"body\":{\"order\":77,\"customer\":{\"password\":\"pw-SHOULD-NOT-SHOW\",\"apiKey\":\"ak-SHOULD-NOT-SHOW\"}}}}";
        HttpResponse<String> r = call(KEY, "POST", "/v1/jobs", dead);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String deadId = Json.MAPPER.readTree(r.body()).path("jobId").asText();
        HttpResponse<String> ok = call(KEY, "POST", "/v1/jobs", "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + target("/ok") + "\",\"body\":{}}}");
        String okId = Json.MAPPER.readTree(ok.body()).path("jobId").asText();
        // Three functions start cold (a JVM each) before the dead letter is recorded: generous on a loaded machine.
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).until(() ->
                call(KEY, "GET", "/v1/dlq/" + deadId, null).statusCode() == 200
                        && get("/v1/jobs/" + okId).path("status").asText().equals("succeeded"));

        JsonNode deadOnly = get("/dashboard/api/jobs?status=dead_lettered&type=webhook.deliver");
        assertThat(deadOnly.path("items").findValuesAsText("jobId")).contains(deadId).doesNotContain(okId);
        JsonNode succeeded = get("/dashboard/api/jobs?status=succeeded");
        assertThat(succeeded.path("items").findValuesAsText("jobId")).contains(okId).doesNotContain(deadId);
        assertThat(get("/dashboard/api/jobs?type=image.transform").path("items")).isEmpty();
        // The list route's own problems come through: an unknown status is the API's 400 with its field.
        HttpResponse<String> bad = call(KEY, "GET", "/dashboard/api/jobs?status=lost", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("status");

        HttpResponse<String> raw = call(KEY, "GET", "/dashboard/api/jobs/" + deadId, null);
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).doesNotContain("SHOULD-NOT-SHOW");
        JsonNode d = Json.MAPPER.readTree(raw.body());
        assertThat(d.path("status").asText()).isEqualTo("dead_lettered");
        assertThat(d.path("payload").path("headers").path("Authorization").asText()).isEqualTo(DashboardMask.MASK);
        assertThat(d.path("payload").path("headers").path("X-Order").asText()).isEqualTo("o-77");
        assertThat(d.path("payload").path("body").path("customer").path("password").asText()).isEqualTo(DashboardMask.MASK);
        assertThat(d.path("payload").path("body").path("customer").path("apiKey").asText()).isEqualTo(DashboardMask.MASK);
        assertThat(d.path("payload").path("body").path("order").asInt()).isEqualTo(77);
        assertThat(d.path("payload").path("url").asText()).isEqualTo(target("/gone"));
        assertThat(d.path("traceId").asText()).matches("[0-9a-f]{32}");
        assertThat(d.path("error").asText()).isNotEmpty();
        assertThat(d.path("deadLetter").path("reason").asText()).isNotEmpty();
        assertThat(d.path("retryable").asBoolean()).isTrue();
        assertThat(d.path("cancellable").asBoolean()).isFalse();
        // The API itself still gives the key's holder the payload whole.
        assertThat(call(KEY, "GET", "/v1/dlq/" + deadId, null).body()).contains("tok-SHOULD-NOT-SHOW");

        JsonNode done = get("/dashboard/api/jobs/" + okId);
        assertThat(done.path("status").asText()).isEqualTo("succeeded");
        assertThat(done.path("retryable").asBoolean()).isFalse();
        assertThat(done.path("cancellable").asBoolean()).isFalse();

        // Another tenant's key sees nothing of it; no key is a 401.
        assertThat(call(OTHER, "GET", "/dashboard/api/jobs/" + deadId, null).statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(call(OTHER, "GET", "/dashboard/api/jobs", null).body()).path("items").findValuesAsText("jobId"))
                .doesNotContain(deadId, okId);
        assertThat(call(null, "GET", "/dashboard/api/jobs", null).statusCode()).isEqualTo(401);
        assertThat(call(KEY, "GET", "/dashboard/api/jobs/not-a-job-id", null).statusCode()).isEqualTo(404);
    }

    @Test
    void schedulesView_listsTheTenantsSchedules_withTemplatesMasked() throws Exception {
        HttpResponse<String> created = call(KEY, "POST", "/v1/schedules", "{\"cron\":\"0 4 * * *\",\"timeZone\":\"Europe/Paris\",\"job\":"
                + "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"https://example.com/nightly\",\"body\":{},\"headers\":{\"X-Api-Key\":\"ak-SHOULD-NOT-SHOW\"}}}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.MAPPER.readTree(created.body()).path("scheduleId").asText();
        HttpResponse<String> raw = call(KEY, "GET", "/dashboard/api/schedules", null);
        assertThat(raw.statusCode()).isEqualTo(200);
        assertThat(raw.body()).doesNotContain("SHOULD-NOT-SHOW");
        JsonNode list = Json.MAPPER.readTree(raw.body()).path("schedules");
        assertThat(list.findValuesAsText("scheduleId")).contains(id);
        assertThat(list.findValuesAsText("timeZone")).contains("Europe/Paris");
        assertThat(Json.MAPPER.readTree(call(OTHER, "GET", "/dashboard/api/schedules", null).body()).path("schedules")
                .findValuesAsText("scheduleId")).doesNotContain(id);
    }
}
