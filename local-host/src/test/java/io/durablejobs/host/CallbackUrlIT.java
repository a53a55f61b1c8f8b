package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import io.durablejobs.contract.ContractProxy;
import io.durablejobs.core.event.CompletionCallbacks;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.work.JobMessages;
import io.durablejobs.webhook.StandardWebhooks;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job's {@code callbackUrl} through the local host (submit, hello-worker and webhook-worker of
 * functions/functions.json) on the real broker and Redis, with a receiver on 127.0.0.1: one signed Standard
 * Webhook per final outcome, carrying the completion event's body, even when the finished job's message is
 * delivered again.
 */
class CallbackUrlIT {
    static final String KEY = "key-callback-acme-aaaaaaaa";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static ItSupport.Receiver receiver;
    static LocalHost host;
    static ContractProxy contract;

    @BeforeAll
    static void start() throws Exception {
        receiver = new ItSupport.Receiver(path -> 204);
        host = ItSupport.startWebhookHost(KEY, Map.of(), "submit", "hello-worker", "webhook-worker");
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

    static HttpResponse<String> submit(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(contract.url().resolve("/v1/jobs")).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode status(String jobId) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(contract.url().resolve("/v1/jobs/" + jobId))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void aJobWithACallbackUrl_getsExactlyOneSignedCallbackWithItsFinalStatus_evenWhenRedelivered() throws Exception {
        HttpResponse<String> r = submit("{\"type\":\"example.hello\",\"payload\":{\"name\":\"callback\"},\"callbackUrl\":\"" + receiver.url("/done") + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode accepted = Json.MAPPER.readTree(r.body());
        String jobId = accepted.path("jobId").asText();
        String callbackId = CompletionCallbacks.callbackJobId(jobId, 0, JobStatus.SUCCEEDED);

        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at("/done").size() == 1);
        ItSupport.Received cb = receiver.at("/done").get(0);
        assertThat(cb.headers().getFirst("webhook-id")).isEqualTo(callbackId);
        assertThat(StandardWebhooks.verify(ItSupport.SIGNING_SECRET, cb.headers(), cb.body(), Duration.ofMinutes(5), Instant.now())).isTrue();
        JsonNode body = Json.MAPPER.readTree(cb.body());
        assertThat(body.path("jobId").asText()).isEqualTo(jobId);
        assertThat(body.path("tenant").asText()).isEqualTo("acme");
        assertThat(body.path("status").asText()).isEqualTo("succeeded");
        assertThat(body.path("result").path("greeting").asText()).isEqualTo("Hello, callback!");
        // The callback is a job of the tenant's own: it can be looked up like any other.
        await().atMost(Duration.ofSeconds(30)).until(() -> status(callbackId).path("status").asText().equals("succeeded"));
        assertThat(status(callbackId).path("type").asText()).isEqualTo("webhook.deliver");

        // The finished job's message once more (a batch that failed after the outcome was recorded): the
        // worker announces it again, and the callback, already delivered, is not enqueued twice.
        JobEnvelope same = new JobEnvelope(jobId, "acme", "example.hello", Json.MAPPER.createObjectNode().put("name", "callback"), 4,
                Instant.parse(accepted.path("createdAt").asText()), receiver.url("/done"));
        OutboundMessage m = new JobMessages(host.topology()).initial(same, null);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                .messageId(m.messageId()).type(m.type()).headers(m.headers()).build();
        ItSupport.publish(host.topology(), m.routingKey(), props, m.body());
        // A second job after the repeat: once its callback is in, the repeat has long been handled.
        HttpResponse<String> r2 = submit("{\"type\":\"example.hello\",\"payload\":{\"name\":\"later\"},\"callbackUrl\":\"" + receiver.url("/later") + "\"}");
        assertThat(r2.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.at("/later").size() == 1);
        Thread.sleep(1000);
        assertThat(receiver.at("/done")).hasSize(1);
    }

    @Test
    void anInvalidCallbackUrl_isAProblemWithTheFieldPath() throws Exception {
        for (String bad : List.of("\"ftp://example.com/x\"", "\"not a url\"", "17", "\"https://user:pw@example.com/x\"")) {
            HttpResponse<String> r = submit("{\"type\":\"example.hello\",\"payload\":{\"name\":\"x\"},\"callbackUrl\":" + bad + "}");
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
            JsonNode p = Json.MAPPER.readTree(r.body());
            assertThat(p.path("errors").get(0).path("field").asText()).as(bad).isEqualTo("callbackUrl");
        }
    }
}
