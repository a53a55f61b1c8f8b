package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.contract.ContractProxy;
import io.durablejobs.core.json.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/jobs/batch} through the local host, with the real submit function, RabbitMQ and Redis;
 * every exchange held to api/openapi.json. No worker runs, so what the broker holds is what was accepted.
 */
class BatchSubmitIT {
    static final String KEY = "key-batch-aaaaaaaaaaaaaaaa";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalHost host;
    static ContractProxy contract;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = ItSupport.hostEnv(ItSupport.namespace());
        env.put("JOBS_API_KEYS", "batcher=" + KEY);
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../functions/functions.json"))
                .withFunctions("submit").withHttpPort(0));
        contract = ContractProxy.start(host.apiUrl());
    }

    @AfterAll
    static void stop() {
        contract.close();
        host.close();
        ItSupport.deleteTopology(host.topology());
        contract.assertKept();
    }

    static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(contract.url().resolve(path)).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody()) : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode batch(String body, int expectedStatus) throws Exception {
        HttpResponse<String> r = send("POST", "/v1/jobs/batch", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expectedStatus);
        return Json.MAPPER.readTree(r.body());
    }

    static String webhook(String path, String key) {
        return "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"https://example.com/" + path + "\",\"body\":{}}"
                + (key == null ? "" : ",\"idempotencyKey\":\"" + key + "\"") + "}";
    }

    static List<String> listed() throws Exception {
        HttpResponse<String> r = send("GET", "/v1/jobs?limit=100", null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).get("items").findValuesAsText("jobId");
    }

    /** Each item's own status (not the nested problems' numeric ones). */
    static List<String> statuses(JsonNode results) {
        List<String> out = new ArrayList<>();
        results.forEach(r -> out.add(r.get("status").asText()));
        return out;
    }

    static long ready() throws Exception {
        return ItSupport.ready(host.topology(), host.topology().workQueue("webhook.deliver"));
    }

    @Test
    void mixedValidInvalidAndReplayedItems_eachGetTheirOwnResult() throws Exception {
        String k = "mixed-" + UUID.randomUUID();
        long before = ready();
        JsonNode first = batch("{\"jobs\":[" + webhook("a", k) + "]}", 202);
        String original = first.get("results").get(0).get("jobId").asText();

        JsonNode b = batch("{\"jobs\":[" + webhook("b", null) + ",{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"not a url\"}},"
                + webhook("a", k) + ",{\"type\":\"webhook.deliver\",\"payload\":{},\"delay\":\"PT1H\"}]}", 207);

        assertThat(b.get("accepted").asInt()).isEqualTo(1);
        assertThat(b.get("replayed").asInt()).isEqualTo(1);
        assertThat(b.get("rejected").asInt()).isEqualTo(2);
        JsonNode results = b.get("results");
        assertThat(statuses(results)).containsExactly("accepted", "rejected", "replayed", "rejected");
        assertThat(results.get(1).get("problem").get("errors").get(0).get("field").asText()).startsWith("jobs[1].payload");
        assertThat(results.get(2).get("jobId").asText()).isEqualTo(original);
        assertThat(results.get(3).get("problem").get("errors").findValuesAsText("field")).allMatch(f -> f.startsWith("jobs[3]."));
        assertThat(ready() - before).as("one message per accepted job").isEqualTo(2);

        HttpResponse<String> status = send("GET", "/v1/jobs/" + results.get(0).get("jobId").asText(), null);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(status.body()).get("status").asText()).isEqualTo("queued");
    }

    @Test
    void anEmptyBatch_is400_andOneOverTheLimit_is413() throws Exception {
        assertThat(batch("{\"jobs\":[]}", 400).get("type").asText()).isEqualTo("/problems/validation");
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            jobs.add(webhook("n" + i, null));
        }
        assertThat(batch("{\"jobs\":[" + String.join(",", jobs) + "]}", 413).get("type").asText()).isEqualTo("/problems/too-large");
    }

    @Test
    void aBatchTheBrokerDoesNotConfirm_leavesNoJobBehind_andTheSameBatchAgainMakesEachJobOnce() throws Exception {
        String run = UUID.randomUUID().toString();
        String body = "{\"jobs\":[" + webhook("u1", "u1-" + run) + "," + webhook("u2", "u2-" + run) + "," + webhook("u3", "u3-" + run) + "]}";
        String queue = host.topology().workQueue("webhook.deliver");
        List<String> listedBefore = listed();
        try (Connection c = AmqpConnections.open(ItSupport.rabbitUri(), "it-batch")) {
            // Without its queue the type's messages are unroutable: the broker returns them instead of confirming.
            try (Channel ch = c.createChannel()) {
                ch.queueDelete(queue);
            }
            try {
                JsonNode refused = batch(body, 422);
                assertThat(statuses(refused.get("results"))).containsOnly("rejected");
                assertThat(refused.get("results").get(0).get("problem").get("type").asText()).isEqualTo("/problems/unavailable");
                assertThat(listed()).as("no job of the refused batch is listed").isEqualTo(listedBefore);
            } finally {
                TopologyDeclarer.declare(c, host.topology());
            }
        }
        long before = ready();

        JsonNode accepted = batch(body, 202);
        JsonNode replayed = batch(body, 202);

        assertThat(accepted.get("accepted").asInt()).isEqualTo(3);
        assertThat(replayed.get("replayed").asInt()).isEqualTo(3);
        assertThat(replayed.get("results").findValuesAsText("jobId")).isEqualTo(accepted.get("results").findValuesAsText("jobId"));
        assertThat(ready() - before).as("each job published once").isEqualTo(3);
        assertThat(listed()).containsAll(accepted.get("results").findValuesAsText("jobId")).hasSize(listedBefore.size() + 3);
    }
}
