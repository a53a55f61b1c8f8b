package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.durablejobs.core.event.CompletionCallbacks;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.webhook.StandardWebhooks;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A dead-lettered job replayed from the DLQ keeps its {@code callbackUrl}, through the local host (submit,
 * webhook-worker, dlq-consumer) on the real broker and Redis: its dead-lettered outcome is called back, and
 * after the replay its new outcome is called back once more, under the replay's generation.
 */
class CallbackReplayIT {
    static final String KEY = "key-cbreplay-acme-aaaaaaaa";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    record Received(String path, Headers headers, byte[] body) {
    }

    static final List<Received> received = new CopyOnWriteArrayList<>();
    /** The job's own target refuses (410: dead-lettered at once) until the receiver is "fixed". */
    static final AtomicBoolean fixed = new AtomicBoolean();
    static HttpServer receiver;
    static LocalHost host;

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            received.add(new Received(path, ex.getRequestHeaders(), body));
            ex.sendResponseHeaders(path.equals("/target") && !fixed.get() ? 410 : 204, -1);
            ex.close();
        });
        receiver.start();
        Map<String, String> env = ItSupport.hostEnv(ItSupport.namespace());
        env.put("JOBS_API_KEYS", "acme=" + KEY);
        env.put("JOBS_WEBHOOK_SIGNING_SECRET", SECRET);
        env.put("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../functions/functions.json"))
                .withFunctions("submit", "webhook-worker", "dlq-consumer").withHttpPort(0));
    }

    @AfterAll
    static void stop() {
        host.close();
        ItSupport.deleteTopology(host.topology());
        receiver.stop(0);
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(host.apiUrl().resolve(path)).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String target(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    static List<Received> at(String path) {
        return received.stream().filter(x -> x.path().equals(path)).toList();
    }

    @Test
    void aReplayedDeadLetter_callsBackItsNewOutcome() throws Exception {
        HttpResponse<String> r = call("POST", "/v1/jobs", "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + target("/target")
                + "\",\"body\":{\"n\":1}},\"callbackUrl\":\"" + target("/cb") + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String jobId = Json.MAPPER.readTree(r.body()).path("jobId").asText();

        // Three functions start cold (a JVM each) before the dead letter is recorded: generous on a loaded machine.
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).until(() ->
                call("GET", "/v1/dlq/" + jobId, null).statusCode() == 200 && at("/cb").size() == 1);
        Received dead = at("/cb").get(0);
        assertThat(dead.headers().getFirst("webhook-id")).isEqualTo(CompletionCallbacks.callbackJobId(jobId, 0, JobStatus.DEAD_LETTERED));
        assertThat(Json.MAPPER.readTree(dead.body()).path("status").asText()).isEqualTo("dead_lettered");

        fixed.set(true);
        HttpResponse<String> replay = call("POST", "/v1/dlq/" + jobId + "/replay", null);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(Json.MAPPER.readTree(replay.body()).path("generation").asInt()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> at("/cb").size() >= 2);
        Received done = at("/cb").get(1);
        assertThat(done.headers().getFirst("webhook-id")).isEqualTo(CompletionCallbacks.callbackJobId(jobId, 1, JobStatus.SUCCEEDED));
        assertThat(StandardWebhooks.verify(SECRET, done.headers(), done.body(), Duration.ofMinutes(5), Instant.now())).isTrue();
        JsonNode event = Json.MAPPER.readTree(done.body());
        assertThat(event.path("jobId").asText()).isEqualTo(jobId);
        assertThat(event.path("status").asText()).isEqualTo("succeeded");
        assertThat(at("/target")).hasSize(2); // once refused, once delivered by the replay
        Thread.sleep(1000);
        assertThat(at("/cb")).hasSize(2); // one callback per final outcome
    }
}
