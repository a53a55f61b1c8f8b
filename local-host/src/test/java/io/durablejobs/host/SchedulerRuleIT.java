package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.adapters.schedule.RedisScheduleStore;
import io.durablejobs.core.json.Json;
import java.net.http.HttpResponse;
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
    static ItSupport.SchedulerHost scheduler;

    @BeforeAll
    static void start() throws Exception {
        scheduler = new ItSupport.SchedulerHost(KEY, Map.of());
    }

    @AfterAll
    static void stop() {
        scheduler.close();
    }

    @Test
    void hostScheduleRule_invokesTheSchedulerFunction_whichEnqueuesTheDueTick() throws Exception {
        HttpResponse<String> created = scheduler.call("POST", "/v1/schedules",
                "{\"cron\":\"0 4 * * *\",\"job\":{\"type\":\"example.hello\",\"payload\":{\"name\":\"rule\"}}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode s = Json.MAPPER.readTree(created.body());
        String id = s.path("scheduleId").asText();
        // Make its tick due now rather than at 04:00 (the store's own compare-and-set, as a scheduler run would).
        Instant due = Instant.now().minusSeconds(1);
        RedisScheduleStore store = scheduler.schedules();
        assertThat(store.advance(id, Instant.parse(s.path("nextRunAt").asText()), due, null, null)).isTrue();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonNode now = Json.MAPPER.readTree(scheduler.call("GET", "/v1/schedules/" + id, null).body());
            assertThat(now.path("lastJobId").asText()).isNotEmpty();
        });
        JsonNode after = Json.MAPPER.readTree(scheduler.call("GET", "/v1/schedules/" + id, null).body());
        assertThat(scheduler.call("GET", "/v1/jobs/" + after.path("lastJobId").asText(), null).statusCode()).isEqualTo(200);
        assertThat(Instant.parse(after.path("nextRunAt").asText())).isAfter(Instant.now());
    }
}
