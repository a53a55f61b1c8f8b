package io.durablejobs.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The crash-safety test: a worker killed after its side effect but before completion. The receiver takes the POST
 * and holds its answer; the worker's execution environment (a JVM of its own) is SIGKILLed while it waits.
 * The batch comes back, the redelivery waits out the dead run's lease, delivers again with the same
 * webhook-id, and the platform records one completion.
 */
class KilledAfterSideEffectIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theRedelivery_doesNotRecordASecondCompletion_andTheReceiverSeesOneWebhookIdTwice() throws Exception {
        Assumptions.assumeTrue(BrokerNode.installed() && RedisServer.installed(),
                "rabbitmq-server, rabbitmqctl and redis-server are not installed");
        ChaosSettings s = ChaosSettings.defaults(1).with(1, 0, List.of(), 1, Path.of("target/chaos"), false)
                .withFunctionsFile(Path.of("../functions/functions.json"));
        try (ChaosStack stack = new ChaosStack("kill-" + Long.toHexString(System.nanoTime()).substring(0, 6), s, 8)) {
            String body = "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + stack.receiver.url("/hold/1") + "\",\"body\":{\"n\":1}}}";
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(stack.host.apiUrl().resolve("/v1/jobs"))
                    .header("Authorization", "Bearer " + stack.apiKey).header("Content-Type", "application/json")
                    .header("Idempotency-Key", "held-1").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            String jobId = JSON.readTree(r.body()).get("jobId").asText();

            assertThat(stack.receiver.awaitHeld(60)).as("the first delivery reached the receiver").isTrue();
            assertThat(stack.ledger.trail(jobId).lastStatus()).as("claimed, not finished").isEqualTo("running");
            List<ProcessHandle> envs = stack.workers.alive();
            assertThat(envs).hasSize(1);
            Optional<Long> killed = stack.workers.killOne();
            assertThat(killed).contains(envs.get(0).pid());
            stack.receiver.release();

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> "succeeded".equals(stack.ledger.trail(jobId).lastStatus()));
            Thread.sleep(2000); // anything late (another copy of the message) would show now
            stack.monitor.drain();

            StatusLedger.Trail trail = stack.ledger.trail(jobId);
            assertThat(trail.completions()).as("completions recorded in Redis").isEqualTo(1);
            assertThat(stack.receiver.deliveries().keySet()).containsExactly(jobId);
            assertThat(stack.receiver.deliveries().get(jobId).get()).as("deliveries with that webhook-id").isEqualTo(2);
            assertThat(stack.workers.alive()).as("a new environment ran the redelivery")
                    .noneMatch(p -> p.pid() == killed.get());
            JsonNode status = JSON.readTree(HTTP.send(HttpRequest.newBuilder(stack.host.apiUrl().resolve("/v1/jobs/" + jobId))
                    .header("Authorization", "Bearer " + stack.apiKey).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(status.get("status").asText()).isEqualTo("succeeded");
            assertThat(status.get("attempts").asInt()).as("the same attempt, run again after its lease lapsed").isEqualTo(1);
            assertThat(status.get("result").get("webhookId").asText()).isEqualTo(jobId);
        }
    }
}
