package io.durablejobs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batch submit against a scripted server speaking the batch contract: keys on every item, whole-request
 * retries with the same keys, passing item rejections sent again on their own, results in the caller's order.
 */
class JobsClientBatchTest {
    record Answer(int status, Map<String, String> headers, String body) {
    }

    final LinkedBlockingDeque<Function<JsonNode, Answer>> script = new LinkedBlockingDeque<>();
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    final List<String> paths = new CopyOnWriteArrayList<>();
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    HttpServer server;

    JobsClient client(RetryPolicy policy) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            JsonNode body = JobsClient.JSON.readTree(ex.getRequestBody().readAllBytes());
            bodies.add(body);
            paths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            Function<JsonNode, Answer> next = script.poll();
            Answer a = next == null ? new Answer(500, Map.of(), "{}") : next.apply(body);
            a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        return JobsClient.builder().baseUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort())).apiKey("k")
                .retryPolicy(policy).sleeper(waits::add).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    static SubmitRequest job(int n) {
        return SubmitRequest.of("webhook.deliver", JobsClient.JSON.createObjectNode().put("n", n));
    }

    static ObjectNode accepted(int index, String status) {
        return JobsClient.JSON.createObjectNode().put("index", index).put("status", status).put("jobId", "job-" + index)
                .put("type", "webhook.deliver").put("jobStatus", "queued");
    }

    static ObjectNode rejected(int index, int status, String slug, String field) {
        ObjectNode problem = JobsClient.JSON.createObjectNode().put("type", "/problems/" + slug).put("title", "T").put("status", status);
        if (field != null) {
            problem.putArray("errors").addObject().put("field", "jobs[" + index + "]." + field).put("message", "is required");
        }
        ObjectNode r = JobsClient.JSON.createObjectNode().put("index", index).put("status", "rejected");
        r.set("problem", problem);
        return r;
    }

    /** A batch answer; the counts follow the results as the contract says. */
    static Answer answer(int status, Map<String, String> headers, List<ObjectNode> results) {
        ObjectNode body = JobsClient.JSON.createObjectNode();
        body.put("accepted", results.stream().filter(r -> r.get("status").asText().equals("accepted")).count());
        body.put("replayed", results.stream().filter(r -> r.get("status").asText().equals("replayed")).count());
        body.put("rejected", results.stream().filter(r -> r.get("status").asText().equals("rejected")).count());
        ArrayNode a = body.putArray("results");
        results.forEach(a::add);
        return new Answer(status, headers, body.toString());
    }

    static List<String> keys(JsonNode body) {
        List<String> keys = new ArrayList<>();
        body.get("jobs").forEach(j -> keys.add(j.get("idempotencyKey").asText()));
        return keys;
    }

    @Test
    void everyItemCarriesAKey_givenOnesKept_andAWholeRequest503IsRetriedWithTheSameKeys() throws Exception {
        JobsClient c = client(RetryPolicy.DEFAULT);
        script.add(b -> new Answer(503, Map.of("Content-Type", "application/problem+json", "Retry-After", "2"),
                "{\"type\":\"/problems/unavailable\",\"title\":\"Unavailable\",\"status\":503}"));
        script.add(b -> answer(202, Map.of(), List.of(accepted(0, "accepted"), accepted(1, "replayed"))));

        BatchResult r = c.submitBatch(List.of(job(0), job(1).withIdempotencyKey("mine-1")));

        assertThat(paths).containsOnly("POST /v1/jobs/batch");
        assertThat(bodies).hasSize(2);
        List<String> first = keys(bodies.get(0));
        assertThat(first.get(0)).isNotBlank();
        assertThat(first.get(1)).isEqualTo("mine-1");
        assertThat(keys(bodies.get(1))).isEqualTo(first);
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(bodies.get(0).get("jobs").get(0).get("payload").get("n").asInt()).isEqualTo(0);
        assertThat(r.accepted()).isEqualTo(1);
        assertThat(r.replayed()).isEqualTo(1);
        assertThat(r.allAccepted()).isTrue();
        assertThat(r.results()).extracting(BatchResult.Item::idempotencyKey).containsExactly(first.get(0), "mine-1");
    }

    @Test
    void aCallbackUrl_isSentOnASingleSubmit_andOnEachBatchItemThatHasOne() throws Exception {
        JobsClient c = client(RetryPolicy.DEFAULT);
        script.add(b -> new Answer(202, Map.of("Content-Type", "application/json"),
                "{\"jobId\":\"j1\",\"type\":\"webhook.deliver\",\"status\":\"queued\",\"createdAt\":\"2026-01-01T00:00:00Z\"}"));
        script.add(b -> answer(202, Map.of(), List.of(accepted(0, "accepted"), accepted(1, "accepted"))));

        c.submit(job(0).withCallbackUrl("https://example.com/done"));
        c.submitBatch(List.of(job(1).withCallbackUrl("https://example.com/batch").withPriority(2), job(2)));

        assertThat(paths).containsExactly("POST /v1/jobs", "POST /v1/jobs/batch");
        assertThat(bodies.get(0).get("callbackUrl").asText()).isEqualTo("https://example.com/done");
        JsonNode items = bodies.get(1).get("jobs");
        assertThat(items.get(0).get("callbackUrl").asText()).isEqualTo("https://example.com/batch");
        assertThat(items.get(0).get("priority").asInt()).isEqualTo(2);
        assertThat(items.get(1).has("callbackUrl")).isFalse(); // none given: the API's "no callback", not an empty string
        // The other builders keep it.
        SubmitRequest r = job(3).withCallbackUrl("https://example.com/x").withIdempotencyKey("k").withDelay(Duration.ofMinutes(5))
                .withRunAt(java.time.Instant.parse("2026-12-01T09:00:00Z")).withGeneratedKeyIfAbsent();
        assertThat(r.callbackUrl()).isEqualTo("https://example.com/x");
    }

    @Test
    void passingRejections_areSentAgainAlone_withTheirKeys_andResultsComeBackInTheCallersOrder() throws Exception {
        JobsClient c = client(RetryPolicy.DEFAULT);
        script.add(b -> answer(207, Map.of("Retry-After", "1"), List.of(accepted(0, "accepted"), rejected(1, 429, "rate-limited", null),
                rejected(2, 400, "validation", "payload.url"), rejected(3, 409, "idempotency-key-in-use", null))));
        // The second request holds the two passing ones, numbered 0 and 1 there.
        script.add(b -> answer(207, Map.of(), List.of(accepted(0, "accepted"), rejected(1, 400, "validation", "payload.url"))));

        BatchResult r = c.submitBatch(List.of(job(0), job(1), job(2), job(3)));

        assertThat(bodies).hasSize(2);
        List<String> first = keys(bodies.get(0));
        assertThat(keys(bodies.get(1))).containsExactly(first.get(1), first.get(3));
        assertThat(bodies.get(1).get("jobs").get(1).get("payload").get("n").asInt()).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(1));

        assertThat(r.results()).extracting(BatchResult.Item::index).containsExactly(0, 1, 2, 3);
        assertThat(r.results()).extracting(BatchResult.Item::status).containsExactly(BatchResult.ItemStatus.ACCEPTED,
                BatchResult.ItemStatus.ACCEPTED, BatchResult.ItemStatus.REJECTED, BatchResult.ItemStatus.REJECTED);
        assertThat(r.results()).extracting(BatchResult.Item::idempotencyKey).containsExactlyElementsOf(first);
        assertThat(r.results().get(2).problem().errors()).extracting(Problem.FieldError::field).containsExactly("jobs[2].payload.url");
        assertThat(r.results().get(3).problem().errors()).as("renumbered from the retry's jobs[1] to the caller's jobs[3]")
                .extracting(Problem.FieldError::field).containsExactly("jobs[3].payload.url");
        assertThat(r.accepted()).isEqualTo(2);
        assertThat(r.rejected()).isEqualTo(2);
        assertThat(r.rejectedItems()).extracting(BatchResult.Item::index).containsExactly(2, 3);
    }

    @Test
    void aRateLimited429Batch_isRetried_andWhenTheBudgetCannotWait_theItemsStayRejectedWithTheirProblems() throws Exception {
        // The budget is real time: generous beside the first Retry-After (a loaded machine is slow), far short of the second.
        JobsClient c = client(new RetryPolicy(Duration.ofSeconds(60), Duration.ofMillis(10), Duration.ofMillis(100)));
        script.add(b -> answer(429, Map.of("Retry-After", "1"), List.of(rejected(0, 429, "rate-limited", null), rejected(1, 429, "rate-limited", null))));
        script.add(b -> answer(429, Map.of("Retry-After", "3600"), List.of(rejected(0, 429, "rate-limited", null), rejected(1, 429, "rate-limited", null))));

        BatchResult r = c.submitBatch(List.of(job(0), job(1)));

        assertThat(bodies).hasSize(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
        assertThat(r.rejected()).isEqualTo(2);
        assertThat(r.results()).allSatisfy(i -> assertThat(i.problem().type()).isEqualTo("/problems/rate-limited"));
    }

    @Test
    void aProblemWithTheWholeRequest_isThrown_notRetried() throws Exception {
        JobsClient c = client(RetryPolicy.DEFAULT);
        script.add(b -> new Answer(413, Map.of("Content-Type", "application/problem+json"),
                "{\"type\":\"/problems/too-large\",\"title\":\"Too large\",\"status\":413,\"detail\":\"at most 500 jobs\"}"));
        assertThatThrownBy(() -> c.submitBatch(List.of(job(0))))
                .isInstanceOfSatisfying(ProblemException.InvalidRequestException.class, e -> assertThat(e.type()).isEqualTo("/problems/too-large"));
        assertThat(bodies).hasSize(1);
        assertThatThrownBy(() -> c.submitBatch(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void moreThan500Jobs_goInSeveralRequests_withinTheLimits_andComeBackAsOneResult() throws Exception {
        JobsClient c = client(RetryPolicy.DEFAULT);
        Function<JsonNode, Answer> acceptAll = b -> {
            List<ObjectNode> rs = new ArrayList<>();
            for (int i = 0; i < b.get("jobs").size(); i++) {
                rs.add(accepted(i, "accepted"));
            }
            return answer(202, Map.of(), rs);
        };
        script.add(acceptAll);
        script.add(acceptAll);
        script.add(acceptAll);
        List<SubmitRequest> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(job(i));
        }

        BatchResult r = c.submitBatch(many);

        assertThat(bodies).extracting(b -> b.get("jobs").size()).containsExactly(500, 500, 1);
        assertThat(r.accepted()).isEqualTo(1001);
        assertThat(r.results()).extracting(BatchResult.Item::index).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 1001).boxed().toList());
        assertThat(bodies.get(2).get("jobs").get(0).get("payload").get("n").asInt()).isEqualTo(1000);

        // Bytes bound a request too: three jobs of ~900 KiB make two requests under 2 MiB each.
        script.add(acceptAll);
        script.add(acceptAll);
        script.add(acceptAll);
        bodies.clear();
        String big = "x".repeat(900 * 1024);
        c.submitBatch(List.of(0, 1, 2).stream().map(i -> SubmitRequest.of("t", JobsClient.JSON.createObjectNode().put("blob", big + i))).toList());
        assertThat(bodies).extracting(b -> b.get("jobs").size()).containsExactly(2, 1);
    }
}
