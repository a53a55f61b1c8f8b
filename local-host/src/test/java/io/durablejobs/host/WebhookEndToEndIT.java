package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.contract.ContractProxy;
import io.durablejobs.core.json.Json;
import io.durablejobs.webhook.StandardWebhooks;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end through the local host over HTTP, with the real submit and webhook-worker functions from
 * functions/functions.json, the real RabbitMQ and Redis, and a receiver on 127.0.0.1.
 */
class WebhookEndToEndIT {
    static final String KEY = "key-e2e-aaaaaaaaaaaaaaaa";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static final AtomicInteger failFirst = new AtomicInteger();
    static ItSupport.Receiver receiver;
    static LocalHost host;
    /** Every exchange below goes through it and is held to api/openapi.json. */
    static ContractProxy contract;

    @BeforeAll
    static void start() throws Exception {
        receiver = new ItSupport.Receiver(path -> path.startsWith("/flaky") && failFirst.getAndDecrement() > 0 ? 503 : 204);
        host = ItSupport.startWebhookHost(KEY, Map.of("JOBS_RETRY_TIERS", "200ms,1s"), "submit", "webhook-worker");
        contract = ContractProxy.start(host.apiUrl());
    }

    @AfterAll
    static void stop() {
        contract.close();
        host.close();
        ItSupport.deleteTopology(host.topology());
        receiver.close();
        contract.assertKept();
    }

    static HttpResponse<String> post(String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(contract.url().resolve("/v1/jobs")).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode status(String jobId) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(contract.url().resolve("/v1/jobs/" + jobId))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void aWebhookJob_isDeliveredOnce_signed_andReadsSucceeded() throws Exception {
        String job = "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + receiver.url("/hook") + "\",\"body\":{\"order\":42}}}";
        HttpResponse<String> r = post(job, Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String jobId = Json.MAPPER.readTree(r.body()).get("jobId").asText();
        assertThat(r.headers().firstValue("Location")).contains("/v1/jobs/" + jobId);

        await().atMost(Duration.ofSeconds(20)).until(() -> status(jobId).get("status").asText().equals("succeeded"));
        List<ItSupport.Received> mine = receiver.at("/hook");
        assertThat(mine).hasSize(1);
        ItSupport.Received hook = mine.get(0);
        assertThat(hook.headers().getFirst("webhook-id")).isEqualTo(jobId);
        assertThat(StandardWebhooks.verify(ItSupport.SIGNING_SECRET, hook.headers(), hook.body(), Duration.ofMinutes(5), Instant.now())).isTrue();
        assertThat(Json.MAPPER.readTree(hook.body()).get("order").asInt()).isEqualTo(42);
        JsonNode s = status(jobId);
        assertThat(s.get("attempts").asInt()).isEqualTo(1);
        assertThat(s.get("result").get("statusCode").asInt()).isEqualTo(204);
    }

    @Test
    void aReceiverThatFailsFirst_getsTheSameWebhookIdOnTheRetry() throws Exception {
        failFirst.set(1);
        String job = "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + receiver.url("/flaky") + "\",\"body\":\"plain text\"}}";
        HttpResponse<String> r = post(job, Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
                "Idempotency-Key", "e2e-flaky-1"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String jobId = Json.MAPPER.readTree(r.body()).get("jobId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> status(jobId).get("status").asText().equals("succeeded"));
        List<ItSupport.Received> mine = receiver.at("/flaky");
        assertThat(mine).hasSize(2);
        assertThat(mine).allSatisfy(x -> assertThat(x.headers().getFirst("webhook-id")).isEqualTo(jobId));
        assertThat(status(jobId).get("attempts").asInt()).isEqualTo(2);
        // The same key again replays the first answer: still one job.
        HttpResponse<String> again = post(job, Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json",
                "Idempotency-Key", "e2e-flaky-1"));
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(Json.MAPPER.readTree(again.body()).get("jobId").asText()).isEqualTo(jobId);
    }

    @Test
    void badInputOverHttp_getsTheDocumented4xx_asProblemJson_neverA5xx() throws Exception {
        Map<String, String> ok = Map.of("Authorization", "Bearer " + KEY, "Content-Type", "application/json");
        record Case(String body, Map<String, String> headers, int status) {
        }
        List<Case> cases = List.of(
                new Case("{\"type\":", ok, 400),
                new Case("{\"payload\":{}}", ok, 400),
                new Case("{\"type\":7,\"payload\":{}}", ok, 400),
                new Case("{\"type\":\"nope\",\"payload\":{}}", ok, 400),
                new Case("{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"ftp://x\",\"body\":{}}}", ok, 400),
                new Case("{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"https://x.example\",\"body\":\"" + "x".repeat(300_000) + "\"}}", ok, 413),
                new Case("{}", Map.of("Content-Type", "application/json"), 401),
                new Case("{}", Map.of("Authorization", "Bearer wrong-key-000000000000", "Content-Type", "application/json"), 401));
        for (Case c : cases) {
            HttpResponse<String> r = post(c.body(), c.headers());
            assertThat(r.statusCode()).as(c.body().substring(0, Math.min(60, c.body().length()))).isEqualTo(c.status());
            assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
            JsonNode p = Json.MAPPER.readTree(r.body());
            assertThat(p.get("status").asInt()).isEqualTo(c.status());
            assertThat(p.get("type").asText()).startsWith("/problems/");
            assertThat(p.get("detail").asText()).isNotBlank();
        }
    }

    @Test
    void healthz_answersWithoutAKey() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(contract.url().resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"broker\":\"up\"", "\"redis\":\"up\"");
    }
}
