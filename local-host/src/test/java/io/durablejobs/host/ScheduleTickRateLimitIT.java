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
 * A schedule's tick is the platform keeping a promise made when the schedule was created, not a client's
 * request: the scheduler enqueues it through the submit service, not the API, so a tenant that has used up
 * its submit rate still gets its ticks; the tick's job counts in the tenant's ledger like any other.
 */
class ScheduleTickRateLimitIT {
    static final String KEY = "key-ratetick-acme-aaaaaaaa";
    static ItSupport.SchedulerHost scheduler;

    @BeforeAll
    static void start() throws Exception {
        // One submit, then nothing for a long while.
        scheduler = new ItSupport.SchedulerHost(KEY, Map.of("JOBS_RATE_TENANT_PER_SECOND", "0.001", "JOBS_RATE_TENANT_BURST", "1"));
    }

    @AfterAll
    static void stop() {
        scheduler.close();
    }

    @Test
    void aTenantOverItsRateLimit_stillGetsItsScheduleTicks_countedInItsLedger() throws Exception {
        String job = "{\"type\":\"example.hello\",\"payload\":{\"name\":\"rate\"}}";
        assertThat(scheduler.call("POST", "/v1/jobs", job).statusCode()).isEqualTo(202);
        HttpResponse<String> refused = scheduler.call("POST", "/v1/jobs", job);
        assertThat(refused.statusCode()).as("the tenant is over its rate: " + refused.body()).isEqualTo(429);

        HttpResponse<String> created = scheduler.call("POST", "/v1/schedules", "{\"cron\":\"0 4 * * *\",\"job\":" + job + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode s = Json.MAPPER.readTree(created.body());
        String id = s.path("scheduleId").asText();
        long acceptedBefore = Json.MAPPER.readTree(scheduler.call("GET", "/v1/stats", null).body()).path("accepted").asLong();
        // Its tick due now rather than at 04:00 (the store's own compare-and-set, as a scheduler run would).
        RedisScheduleStore store = scheduler.schedules();
        assertThat(store.advance(id, Instant.parse(s.path("nextRunAt").asText()), Instant.now().minusSeconds(1), null, null)).isTrue();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(Json.MAPPER.readTree(scheduler.call("GET", "/v1/schedules/" + id, null).body()).path("lastJobId").asText()).isNotEmpty());
        String tickJob = Json.MAPPER.readTree(scheduler.call("GET", "/v1/schedules/" + id, null).body()).path("lastJobId").asText();
        assertThat(scheduler.call("GET", "/v1/jobs/" + tickJob, null).statusCode()).isEqualTo(200);
        JsonNode stats = Json.MAPPER.readTree(scheduler.call("GET", "/v1/stats", null).body());
        assertThat(stats.path("accepted").asLong()).isEqualTo(acceptedBefore + 1);
        assertThat(stats.path("types").path("example.hello").path("accepted").asLong()).isEqualTo(2);
        // The client is still refused: the tick took nothing from its budget and gave nothing to it.
        assertThat(scheduler.call("POST", "/v1/jobs", job).statusCode()).isEqualTo(429);
    }
}
