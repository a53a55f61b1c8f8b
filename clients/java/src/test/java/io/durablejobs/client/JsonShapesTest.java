package io.durablejobs.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The records read the API's bodies and write back only the API's field names (the CLI's --json prints them). */
class JsonShapesTest {
    @Test
    void aJob_withProgressHistoryAndACancelRequest_readsAndWritesTheApisFields() throws Exception {
        String body = "{\"jobId\":\"j\",\"type\":\"example.hello\",\"status\":\"running\",\"attempts\":2,\"createdAt\":\"2026-11-30T10:00:00Z\","
                + "\"updatedAt\":\"2026-11-30T10:00:05Z\",\"cancelRequested\":true,\"progress\":{\"percent\":40,\"message\":\"step 4\","
                + "\"at\":\"2026-11-30T10:00:04Z\"},\"history\":[{\"attempt\":1,\"at\":\"2026-11-30T10:00:01Z\",\"reason\":\"retryable\","
                + "\"error\":\"boom\"}],\"somethingNewer\":1}";
        Job j = JobsClient.JSON.readValue(body, Job.class);
        assertThat(j.cancelPending()).isTrue();
        assertThat(j.progress().percent()).isEqualTo(40);
        assertThat(j.history()).singleElement().satisfies(f -> assertThat(f.reason()).isEqualTo("retryable"));
        JsonNode out = JobsClient.JSON.valueToTree(j);
        assertThat(out.fieldNames()).toIterable().containsExactlyInAnyOrder("jobId", "type", "status", "attempts", "createdAt", "updatedAt",
                "cancelRequested", "progress", "history");
        assertThat(out.get("status").asText()).isEqualTo("running");
        assertThat(out.get("createdAt").asText()).isEqualTo("2026-11-30T10:00:00Z");
    }

    @Test
    void statusesNewerThanTheClient_readAsUnknown_andCancelledIsFinal() throws Exception {
        assertThat(JobsClient.JSON.readValue("\"paused_forever\"", JobStatus.class)).isEqualTo(JobStatus.UNKNOWN);
        assertThat(JobStatus.of("scheduled")).isEqualTo(JobStatus.SCHEDULED);
        assertThat(JobStatus.CANCELLED.isFinal()).isTrue();
        assertThat(JobStatus.SCHEDULED.isFinal()).isFalse();
        assertThat(Schedule.Status.of("archived")).isEqualTo(Schedule.Status.UNKNOWN);
    }

    @Test
    void aCancelAnswer_writesNoHelperFields() throws Exception {
        JobCancelled c = JobsClient.JSON.readValue("{\"jobId\":\"j\",\"status\":\"running\",\"cancelRequested\":true}", JobCancelled.class);
        assertThat(c.requestOnly()).isTrue();
        assertThat(JobsClient.JSON.valueToTree(c).fieldNames()).toIterable().containsExactlyInAnyOrder("jobId", "status", "cancelRequested");
    }

    @Test
    void aSubmitBody_carriesRunAtOrDelay_asTheApiReadsThem() {
        JsonNode p = JobsClient.JSON.createObjectNode().put("name", "Ada");
        assertThat(JobsClient.submitBody(SubmitRequest.of("t", p).withDelay(Duration.ofMillis(4500))).get("delay").asText()).isEqualTo("PT4.5S");
        JsonNode at = JobsClient.submitBody(SubmitRequest.of("t", p).withRunAt(Instant.parse("2026-12-01T09:00:00Z")).withPriority(2));
        assertThat(at.get("runAt").asText()).isEqualTo("2026-12-01T09:00:00Z");
        assertThat(at.has("delay")).isFalse();
        assertThat(at.get("priority").asInt()).isEqualTo(2);
        assertThat(SubmitRequest.of("t", p).withGeneratedKeyIfAbsent().idempotencyKey()).isNotBlank();
        assertThat(SubmitRequest.of("t", p).withIdempotencyKey("k").withGeneratedKeyIfAbsent().idempotencyKey()).isEqualTo("k");
    }

    @Test
    void aScheduleRequest_leavesTheApisDefaultsToTheApi() {
        ScheduleRequest r = ScheduleRequest.of("0 9 * * 1-5", "t", JobsClient.JSON.createObjectNode()).withMissedTicks(Schedule.MissedTicks.RUN_ONCE);
        JsonNode n = JobsClient.JSON.valueToTree(r);
        assertThat(n.fieldNames()).toIterable().containsExactlyInAnyOrder("cron", "job", "missedTicks");
        assertThat(n.get("missedTicks").asText()).isEqualTo("run_once");
        assertThat(n.get("job").fieldNames()).toIterable().containsExactlyInAnyOrder("type", "payload");
    }
}
