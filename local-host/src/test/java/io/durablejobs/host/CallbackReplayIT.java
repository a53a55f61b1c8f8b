package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.event.CompletionCallbacks;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.webhook.StandardWebhooks;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
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
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The job's own target refuses (410: dead-lettered at once) until the receiver is "fixed". */
    static final AtomicBoolean fixed = new AtomicBoolean();
    static ItSupport.Receiver receiver;
    static LocalHost host;

    @BeforeAll
    static void start() throws Exception {
        receiver = new ItSupport.Receiver(path -> path.equals("/target") && !fixed.get() ? 410 : 204);
        host = ItSupport.startWebhookHost(KEY, Map.of(), "submit", "webhook-worker", "dlq-consumer");
    }

    @AfterAll
    static void stop() {
        host.close();
        ItSupport.deleteTopology(host.topology());
        receiver.close();
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(host.apiUrl().resolve(path)).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aReplayedDeadLetter_callsBackItsNewOutcome() throws Exception {
        HttpResponse<String> r = call("POST", "/v1/jobs", "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + receiver.url("/target")
                + "\",\"body\":{\"n\":1}},\"callbackUrl\":\"" + receiver.url("/cb") + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String jobId = Json.MAPPER.readTree(r.body()).path("jobId").asText();

        // Three functions start cold (a JVM each) before the dead letter is recorded: generous on a loaded machine.
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250)).until(() ->
                call("GET", "/v1/dlq/" + jobId, null).statusCode() == 200 && receiver.at("/cb").size() == 1);
        ItSupport.Received dead = receiver.at("/cb").get(0);
        assertThat(dead.headers().getFirst("webhook-id")).isEqualTo(CompletionCallbacks.callbackJobId(jobId, 0, JobStatus.DEAD_LETTERED));
        assertThat(Json.MAPPER.readTree(dead.body()).path("status").asText()).isEqualTo("dead_lettered");

        fixed.set(true);
        HttpResponse<String> replay = call("POST", "/v1/dlq/" + jobId + "/replay", null);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        assertThat(Json.MAPPER.readTree(replay.body()).path("generation").asInt()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> receiver.at("/cb").size() >= 2);
        ItSupport.Received done = receiver.at("/cb").get(1);
        assertThat(done.headers().getFirst("webhook-id")).isEqualTo(CompletionCallbacks.callbackJobId(jobId, 1, JobStatus.SUCCEEDED));
        assertThat(StandardWebhooks.verify(ItSupport.SIGNING_SECRET, done.headers(), done.body(), Duration.ofMinutes(5), Instant.now())).isTrue();
        JsonNode event = Json.MAPPER.readTree(done.body());
        assertThat(event.path("jobId").asText()).isEqualTo(jobId);
        assertThat(event.path("status").asText()).isEqualTo("succeeded");
        assertThat(receiver.at("/target")).hasSize(2); // once refused, once delivered by the replay
        Thread.sleep(1000);
        assertThat(receiver.at("/cb")).hasSize(2); // one callback per final outcome
    }
}
