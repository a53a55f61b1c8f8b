package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StageThrottleTest {
    private final AtomicLong now = new AtomicLong();

    private StageThrottle throttle(String platform) throws Exception {
        return StageThrottle.fromPlatform(new ObjectMapper().readTree(platform), now::get);
    }

    private static final String PLATFORM = """
            {"api": {"defaultRateLimit": 5, "defaultBurstLimit": 1, "routes": [
              {"method": "POST", "path": "/v1/jobs", "rateLimit": 10, "burstLimit": 3},
              {"method": "GET", "path": "/v1/jobs/{jobId}", "rateLimit": 100, "burstLimit": 1},
              {"method": "POST", "path": "/v1/dlq/replay", "rateLimit": 1, "burstLimit": 1},
              {"method": "POST", "path": "/v1/dlq/{jobId}/replay", "rateLimit": 1, "burstLimit": 2},
              {"method": "GET", "path": "/v1/blobs/{key+}", "rateLimit": 1, "burstLimit": 1}
            ]}}""";

    @Test
    void aRoutesBucket_holdsItsBurst_andRefillsAtItsRate() throws Exception {
        StageThrottle t = throttle(PLATFORM);
        assertThat(t.admit("POST", "/v1/jobs")).isTrue();
        assertThat(t.admit("POST", "/v1/jobs")).isTrue();
        assertThat(t.admit("POST", "/v1/jobs")).isTrue();
        assertThat(t.admit("POST", "/v1/jobs")).as("burst of 3 spent").isFalse();
        now.addAndGet(99_000_000L); // 99 ms at 10/s: not yet a whole token
        assertThat(t.admit("POST", "/v1/jobs")).isFalse();
        now.addAndGet(2_000_000L);
        assertThat(t.admit("POST", "/v1/jobs")).as("one token after 100 ms").isTrue();
        assertThat(t.admit("POST", "/v1/jobs")).isFalse();
        now.addAndGet(10_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertThat(t.admit("POST", "/v1/jobs")).isTrue();
        }
        assertThat(t.admit("POST", "/v1/jobs")).as("refill stops at the burst").isFalse();
    }

    @Test
    void eachRouteHasItsOwnBucket_matchedByMethodAndTemplate() throws Exception {
        StageThrottle t = throttle(PLATFORM);
        assertThat(t.admit("GET", "/v1/jobs/abc")).isTrue();
        assertThat(t.admit("GET", "/v1/jobs/def")).as("one bucket per route, not per path").isFalse();
        assertThat(t.admit("POST", "/v1/dlq/replay")).isTrue();
        assertThat(t.admit("POST", "/v1/dlq/replay")).isFalse();
        assertThat(t.admit("POST", "/v1/dlq/j1/replay")).as("a different route").isTrue();
        assertThat(t.admit("POST", "/v1/dlq/j1/replay")).isTrue();
        assertThat(t.admit("POST", "/v1/dlq/j1/replay")).isFalse();
        assertThat(t.admit("GET", "/v1/blobs/a/b/c.png")).as("greedy parameter takes several segments").isTrue();
        assertThat(t.admit("GET", "/v1/blobs/x")).isFalse();
        assertThat(t.admit("POST", "/v1/jobs")).as("POST /v1/jobs untouched by the others").isTrue();
    }

    @Test
    void unlistedRoutes_shareTheStageDefault() throws Exception {
        StageThrottle t = throttle(PLATFORM);
        assertThat(t.admit("GET", "/v1/jobs/abc/extra")).isTrue();
        assertThat(t.admit("DELETE", "/v1/jobs")).isFalse();
        now.addAndGet(200_000_000L); // 5/s: one token per 200 ms
        assertThat(t.admit("PUT", "/nowhere")).isTrue();
    }

    @Test
    void theRepositorysPlatformJson_isPackedAndThrottlesSubmitsAtItsBurst() {
        StageThrottle t = StageThrottle.fromPlatformResource();
        int admitted = 0;
        for (int i = 0; i < 10_000; i++) {
            if (t.admit("POST", "/v1/dlq/replay")) {
                admitted++;
            }
        }
        // platform.json: POST /v1/dlq/replay rate 1, burst 2; the loop takes far less than a second.
        assertThat(admitted).isBetween(2, 3);
        assertThat(StageThrottle.OFF.admit("POST", "/v1/dlq/replay")).isTrue();
    }
}
