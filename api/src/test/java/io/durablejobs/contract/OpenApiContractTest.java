package io.durablejobs.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The description's checks bite: these are the faults drift would cause, each caught. */
class OpenApiContractTest {
    static final OpenApiContract CONTRACT = OpenApiContract.load();
    static final String JOB_ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    static final Map<String, List<String>> AUTH_JSON = Map.of("Authorization", List.of("Bearer k"), "Content-Type", List.of("application/json"));
    static final String SUBMIT = "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"https://example.com\",\"body\":{}}}";

    static Exchange exchange(String method, String path, String query, String body, int status, Map<String, List<String>> headers, String response) {
        return new Exchange(method, path, query, AUTH_JSON, body == null ? null : body.getBytes(StandardCharsets.UTF_8), status, headers,
                response == null ? null : response.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, List<String>> json() {
        return Map.of("Content-Type", List.of("application/json"));
    }

    static Map<String, List<String>> problem() {
        return Map.of("Content-Type", List.of("application/problem+json"));
    }

    @Test
    void acceptedSubmit_keepsToTheDescription() {
        assertThat(CONTRACT.violations(exchange("POST", "/v1/jobs", null, SUBMIT, 202,
                Map.of("Content-Type", List.of("application/json"), "Location", List.of("/v1/jobs/" + JOB_ID)),
                "{\"jobId\":\"" + JOB_ID + "\",\"type\":\"webhook.deliver\",\"status\":\"queued\",\"createdAt\":\"2026-01-01T00:00:00Z\"}")))
                .isEmpty();
    }

    @Test
    void responseMissingARequiredField_isAViolation() {
        assertThat(CONTRACT.violations(exchange("POST", "/v1/jobs", null, SUBMIT, 202, json(),
                "{\"type\":\"webhook.deliver\",\"status\":\"queued\",\"createdAt\":\"2026-01-01T00:00:00Z\"}")))
                .singleElement().asString().contains("jobId");
    }

    @Test
    void statusOutsideItsEnum_isAViolation() {
        assertThat(CONTRACT.violations(exchange("GET", "/v1/jobs/" + JOB_ID, null, null, 200, json(),
                "{\"jobId\":\"x\",\"type\":\"t\",\"status\":\"lost\",\"attempts\":1,\"createdAt\":\"a\",\"updatedAt\":\"b\"}")))
                .isNotEmpty();
    }

    @Test
    void nullWhereTheDescriptionAllowsIt_isFine_andAnItemMissingARequiredField_isAViolation() {
        String page = "{\"items\":[{\"jobId\":\"" + JOB_ID + "\",\"type\":\"t\",\"reason\":\"retries_exhausted\",\"attempts\":3,"
                + "\"lastError\":null,\"deadLetteredAt\":\"2026-01-01T00:00:00Z\"}],\"nextCursor\":null}";
        assertThat(CONTRACT.violations(exchange("GET", "/v1/dlq", "limit=5", null, 200, json(), page))).isEmpty();
        assertThat(CONTRACT.violations(exchange("GET", "/v1/dlq", null, null, 200, json(), page.replace("\"attempts\":3,", ""))))
                .isNotEmpty();
    }

    @Test
    void aDeadLettersDetail_withItsCallbackUrl_keepsToTheDescription() {
        String detail = "{\"jobId\":\"" + JOB_ID + "\",\"type\":\"t\",\"reason\":\"retries_exhausted\",\"attempts\":3,\"lastError\":\"HTTP 503\","
                + "\"deadLetteredAt\":\"2026-01-01T00:00:00Z\",\"state\":\"dead\",\"origin\":\"worker\",\"sourceQueue\":\"jobs.t\","
                + "\"recordedAt\":\"2026-01-01T00:00:00Z\",\"traceId\":null,\"generation\":0,\"payload\":{\"n\":1},"
                + "\"callbackUrl\":\"https://example.com/done\",\"history\":[],\"previous\":[]}";
        assertThat(CONTRACT.violations(exchange("GET", "/v1/dlq/" + JOB_ID, null, null, 200, json(), detail))).isEmpty();
        assertThat(CONTRACT.violations(exchange("GET", "/v1/dlq/" + JOB_ID, null, null, 200, json(), detail.replace("callbackUrl", "callbackUri"))))
                .as("the schema stays closed").isNotEmpty();
    }

    @Test
    void aPathTheDescriptionLacks_servedWith2xx_isAViolation_butRefusedWith404_isNot() {
        assertThat(CONTRACT.violations(exchange("GET", "/v1/secret-admin", null, null, 200, json(), "{}"))).isNotEmpty();
        assertThat(CONTRACT.violations(exchange("GET", "/v1/secret-admin", null, null, 404, problem(),
                "{\"type\":\"/problems/not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"no route\"}"))).isEmpty();
    }

    @Test
    void anInvalidRequestTheApiRefuses_isTheContract_butOneItAccepts_isAViolation() {
        String badPriority = "{\"type\":\"webhook.deliver\",\"payload\":{},\"priority\":12}";
        String refused = "{\"type\":\"/problems/validation\",\"title\":\"The request is not valid\",\"status\":400,"
                + "\"detail\":\"priority: must be an integer from 0 to 9\",\"errors\":[{\"field\":\"priority\",\"message\":\"must be\"}]}";
        assertThat(CONTRACT.violations(exchange("POST", "/v1/jobs", null, badPriority, 400, problem(), refused))).isEmpty();
        assertThat(CONTRACT.violations(exchange("POST", "/v1/jobs", null, badPriority, 202, json(),
                "{\"jobId\":\"" + JOB_ID + "\",\"type\":\"webhook.deliver\",\"status\":\"queued\",\"createdAt\":\"2026-01-01T00:00:00Z\"}")))
                .isNotEmpty();
    }

    @Test
    void rateLimitedWithoutRetryAfter_isAViolation() {
        String body = "{\"type\":\"/problems/rate-limited\",\"title\":\"Too many requests\",\"status\":429,\"detail\":\"slow down\"}";
        assertThat(CONTRACT.violations(exchange("POST", "/v1/jobs", null, SUBMIT, 429, problem(), body))).isNotEmpty();
        assertThat(CONTRACT.violations(exchange("POST", "/v1/jobs", null, SUBMIT, 429,
                Map.of("Content-Type", List.of("application/problem+json"), "Retry-After", List.of("1")), body))).isEmpty();
    }

    @Test
    void anUndocumentedProblemType_isAViolation() {
        assertThat(CONTRACT.violations(exchange("GET", "/v1/jobs/" + JOB_ID, null, null, 404, problem(),
                "{\"type\":\"/problems/gone-fishing\",\"title\":\"Not found\",\"status\":404}"))).isNotEmpty();
    }

    @Test
    void aBlobKeyWithSlashes_matchesTheGreedyBlobRoute() {
        assertThat(CONTRACT.violations(exchange("GET", "/v1/blobs/jobs/" + JOB_ID + "/output.png", null, null, 200,
                Map.of("Content-Type", List.of("image/png")), "png"))).isEmpty();
    }

    static final String SCHEDULE = "{\"scheduleId\":\"" + JOB_ID + "\",\"cron\":\"*/15 * * * *\",\"timeZone\":\"UTC\","
            + "\"job\":{\"type\":\"example.hello\",\"payload\":{\"name\":\"x\"},\"priority\":4},\"overlap\":\"skip\","
            + "\"missedTicks\":\"run_once\",\"status\":\"active\",\"createdAt\":\"2026-01-01T00:00:00Z\"%s}";

    @Test
    void createdSchedule_keepsToTheDescription_andAnUndocumentedFieldIsAViolation() {
        String body = "{\"cron\":\"*/15 * * * *\",\"job\":{\"type\":\"example.hello\",\"payload\":{\"name\":\"x\"}}}";
        Map<String, List<String>> created = Map.of("Content-Type", List.of("application/json"), "Location", List.of("/v1/schedules/" + JOB_ID));
        assertThat(CONTRACT.violations(exchange("POST", "/v1/schedules", null, body, 201, created,
                SCHEDULE.formatted(",\"nextRunAt\":\"2026-01-01T00:15:00Z\"")))).isEmpty();
        assertThat(CONTRACT.violations(exchange("GET", "/v1/schedules/" + JOB_ID, null, null, 200, json(),
                SCHEDULE.formatted(",\"undocumented\":1")))).singleElement().asString().contains("undocumented");
    }

    @Test
    void operations_listEveryDescribedMethodAndPath() {
        assertThat(CONTRACT.operations()).contains("POST /v1/jobs", "GET /v1/jobs/{jobId}", "DELETE /v1/dlq/{jobId}", "GET /healthz",
                "GET /openapi.json",
                "POST /v1/schedules", "GET /v1/schedules", "GET /v1/schedules/{scheduleId}", "DELETE /v1/schedules/{scheduleId}",
                "POST /v1/schedules/{scheduleId}/pause", "POST /v1/schedules/{scheduleId}/resume");
    }
}
