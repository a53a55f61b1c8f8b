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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Delayed jobs waiting in the retry tiers while the broker restarts (a node of the run's own: stop_app,
 * start_app) and Redis is killed and restarted (AOF): each still runs once, not before its time.
 */
class DelayedJobRestartsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void delayedJobs_surviveABrokerRestartAndARedisRestart_andRunOnceWhenDue() throws Exception {
        Assumptions.assumeTrue(BrokerNode.installed() && RedisServer.installed(),
                "rabbitmq-server, rabbitmqctl and redis-server are not installed");
        ChaosSettings s = ChaosSettings.defaults(1).with(1, 0, List.of(), 1, Path.of("target/chaos"), false)
                .withFunctionsFile(Path.of("../functions/functions.json"));
        try (ChaosStack stack = new ChaosStack("delay-" + Long.toHexString(System.nanoTime()).substring(0, 6), s, 30)) {
            List<String> ids = new ArrayList<>();
            List<Instant> runAts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String body = "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + stack.receiver.url("/ok/delayed-" + i)
                        + "\",\"body\":{\"n\":" + i + "}},\"delay\":\"PT" + (30 + 3 * i) + "S\"}";
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(stack.host.apiUrl().resolve("/v1/jobs"))
                        .header("Authorization", "Bearer " + stack.apiKey).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                JsonNode accepted = JSON.readTree(r.body());
                assertThat(accepted.get("status").asText()).isEqualTo("scheduled");
                ids.add(accepted.get("jobId").asText());
                runAts.add(Instant.parse(accepted.get("runAt").asText()));
            }

            stack.broker.restartApp();
            stack.redis.killAndRestart(RedisServer.Persistence.AOF, Duration.ofSeconds(1));
            assertThat(Instant.now()).as("the restarts ended before the first job was due").isBefore(runAts.get(0));
            assertThat(stack.receiver.deliveries()).as("nothing ran early").isEmpty();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> ids.stream().allMatch(id -> "succeeded".equals(stack.ledger.trail(id).lastStatus())));
            Thread.sleep(2000); // a second copy of any message would show now
            stack.monitor.drain();
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                // Delivery is at least once, under one webhook-id (the receiver counts by it): a run still in
                // flight when a cold environment's batch budget ends is handed on, and its copy may call again.
                // What must hold is one completion, and no delivery before the job was due (checked above).
                assertThat(stack.receiver.deliveries().get(id).get()).as("deliveries of %s", id).isBetween(1, 2);
                assertThat(stack.ledger.trail(id).completions()).as("completions of %s", id).isEqualTo(1);
            }
        }
    }
}
