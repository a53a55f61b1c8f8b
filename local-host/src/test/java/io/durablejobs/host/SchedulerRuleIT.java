package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.adapters.schedule.RedisScheduleStore;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.json.Json;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local host runs the scheduler function of functions/functions.json on its schedule rule, as
 * EventBridge does on AWS (here every second, JOBS_HOST_SCHEDULE_PERIOD, instead of every minute), in its
 * own JVM like any non-http function: a due schedule's job is enqueued without anyone calling the function.
 */
class SchedulerRuleIT {
    static final String KEY = "key-rule-acme-aaaaaaaaaaaa";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalHost host;
    static RedisSession redis;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = ItSupport.hostEnv(ItSupport.namespace());
        env.put("JOBS_API_KEYS", "acme=" + KEY);
        env.put("JOBS_HOST_SCHEDULE_PERIOD", "1s");
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../functions/functions.json"))
                .withFunctions("submit", "scheduler").withHttpPort(0));
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
    }

    static HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(host.apiUrl().resolve(path)).header("Authorization", "Bearer " + KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void hostScheduleRule_invokesTheSchedulerFunction_whichEnqueuesTheDueTick() throws Exception {
        HttpResponse<String> created = call("POST", "/v1/schedules",
                "{\"cron\":\"0 4 * * *\",\"job\":{\"type\":\"example.hello\",\"payload\":{\"name\":\"rule\"}}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode s = Json.MAPPER.readTree(created.body());
        String id = s.path("scheduleId").asText();
        // Make its tick due now rather than at 04:00 (the store's own compare-and-set, as a scheduler run would).
        Instant due = Instant.now().minusSeconds(1);
        RedisScheduleStore store = new RedisScheduleStore(redis.commands(), new RedisKeys(host.namespace()));
        assertThat(store.advance(id, Instant.parse(s.path("nextRunAt").asText()), due, null, null)).isTrue();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode now = Json.MAPPER.readTree(call("GET", "/v1/schedules/" + id, null).body());
            assertThat(now.path("lastJobId").asText()).isNotEmpty();
        });
        JsonNode after = Json.MAPPER.readTree(call("GET", "/v1/schedules/" + id, null).body());
        assertThat(call("GET", "/v1/jobs/" + after.path("lastJobId").asText(), null).statusCode()).isEqualTo(200);
        assertThat(Instant.parse(after.path("nextRunAt").asText())).isAfter(Instant.now());
    }
}
