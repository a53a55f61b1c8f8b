package io.durablejobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.client.TestStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI's lifecycle commands end to end against the local host over the real RabbitMQ and Redis, held to api/openapi.json. */
class JobsCliLifecycleIT {
    static TestStack stack;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JobsCli.JSON.readTree(out);
        }

        List<JsonNode> lines() throws Exception {
            List<JsonNode> l = new ArrayList<>();
            for (String s : out.split("\n")) {
                if (!s.isBlank()) {
                    l.add(JobsCli.JSON.readTree(s));
                }
            }
            return l;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.startWithHelloWorker();
    }

    @AfterAll
    static void stop() {
        TestStack.closeAndCheckContract(stack);
    }

    static Run jobsIn(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = JobsCli.run(args, new Io(Map.of("JOBS_API_URL", stack.url().toString(), "JOBS_API_KEY", stack.key),
                new ByteArrayInputStream(stdin), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        Run r = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertThat(r.err()).as("never a stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        return r;
    }

    static Run jobs(String... args) {
        return jobsIn(new byte[0], args);
    }

    @Test
    void submitWithDelay_isListedAsScheduled_thenCancelled_andAFinishedJobCannotBe() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        Run delayed = jobs("--json", "submit", "webhook.deliver", stack.webhook("/ok"), "--delay", "PT1H");
        assertThat(delayed.code()).as(delayed.err()).isEqualTo(0);
        assertThat(delayed.json().get("status").asText()).isEqualTo("scheduled");
        String a = delayed.json().get("jobId").asText();
        Run later = jobs("submit", "webhook.deliver", stack.webhook("/ok"), "--run-at", Instant.now().plus(Duration.ofDays(1)).toString());
        assertThat(later.out()).contains("scheduled", "run at");
        String b = later.out().lines().filter(l -> l.startsWith("accepted")).findFirst().orElseThrow().split("\\s+")[1];

        Run table = jobs("list", "--status", "scheduled", "--type", "webhook.deliver", "--created-after", since.toString());
        assertThat(table.code()).isEqualTo(0);
        assertThat(table.out()).contains("JOB ID", "STATUS", "DETAIL", a, b, "runs at");
        assertThat(table.out().indexOf(b)).as("newest first").isLessThan(table.out().indexOf(a));

        Run page = jobs("list", "--status", "scheduled", "--created-after", since.toString(), "--limit", "1", "--json");
        assertThat(page.json().get("items").size()).isLessThanOrEqualTo(1);
        String cursor = page.json().get("nextCursor").asText();
        assertThat(jobs("list", "--status", "scheduled", "--created-after", since.toString(), "--limit", "1", "--cursor", cursor).code()).isEqualTo(0);
        Run all = jobs("list", "--status", "scheduled", "--created-after", since.toString(), "--limit", "1", "--all", "--json");
        // Other tests of this class share the tenant and may leave a scheduled job of their own in the window:
        // paging must still bring both of these, newest first.
        assertThat(all.lines()).extracting(n -> n.get("jobId").asText()).filteredOn(id -> id.equals(a) || id.equals(b))
                .containsExactly(b, a);

        Run cancel = jobs("cancel", a, b);
        assertThat(cancel.code()).as(cancel.err()).isEqualTo(0);
        assertThat(cancel.out()).contains("cancelled " + a, "cancelled " + b);
        Run waited = jobs("wait", a, "--timeout", "10");
        assertThat(waited.code()).as("a cancelled job did not succeed").isEqualTo(1);
        assertThat(waited.out()).contains("cancelled");

        Run done = jobs("--json", "submit", "webhook.deliver", stack.webhook("/ok"), "--wait");
        Run refused = jobs("cancel", done.json().get("jobId").asText());
        assertThat(refused.code()).isEqualTo(3);
        assertThat(refused.err()).contains("error: 409", "/problems/job-finished");

        assertThat(jobs("list", "--status", "nope").code()).isEqualTo(2);
        assertThat(jobs("submit", "webhook.deliver", stack.webhook("/ok"), "--delay", "PT1H", "--run-at", "2030-01-01T00:00:00Z").code()).isEqualTo(2);
        assertThat(jobs("submit", "webhook.deliver", stack.webhook("/ok"), "--run-at", "tomorrow").code()).isEqualTo(2);
        Run past = jobs("submit", "webhook.deliver", stack.webhook("/ok"), "--run-at", "2020-01-01T00:00:00Z");
        assertThat(past.code()).isEqualTo(3);
        assertThat(past.err()).contains("runAt");
    }

    @Test
    void submitWait_showsProgress_onStderr() {
        // 50 steps of 100 ms: long enough that the wait, polling at most every 2 s, sees it running.
        Run r = jobs("submit", "example.hello", "{\"name\":\"Ada\",\"steps\":50}", "--wait", "--timeout", "60");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.err()).contains("step ");
        assertThat(r.out()).contains("succeeded", "Hello, Ada!");
    }

    @Test
    void schedules_createListGetPauseResumeDelete() throws Exception {
        Path payload = Files.createTempFile("template", ".json");
        Files.writeString(payload, stack.webhook("/ok"));
        Run created = jobs("--json", "schedules", "create", "--cron", "*/15 * * * *", "--tz", "Europe/Berlin", "--overlap", "allow",
                "--missed", "skip", "webhook.deliver", "@" + payload);
        assertThat(created.code()).as(created.err()).isEqualTo(0);
        String id = created.json().get("scheduleId").asText();
        assertThat(created.json().get("overlap").asText()).isEqualTo("allow");

        Run list = jobs("schedules", "list");
        assertThat(list.out()).contains("SCHEDULE ID", id, "*/15 * * * *", "Europe/Berlin", "active");
        assertThat(jobs("schedules", "get", id).out()).contains("next run", "missed ticks  skip");
        assertThat(jobs("schedules", "pause", id).out()).contains("paused");
        assertThat(jobs("--json", "schedules", "resume", id).json().get("status").asText()).isEqualTo("active");
        assertThat(jobs("schedules", "delete", id).out()).contains("deleted " + id);
        Run gone = jobs("schedules", "get", id);
        assertThat(gone.code()).isEqualTo(3);
        assertThat(gone.err()).contains("error: 404");

        Run bad = jobs("schedules", "create", "--cron", "every day", "webhook.deliver", stack.webhook("/ok"));
        assertThat(bad.code()).isEqualTo(3);
        assertThat(bad.err()).contains("cron");
        assertThat(jobs("schedules", "create", "--cron", "* * * * *", "--overlap", "sometimes", "webhook.deliver", "{}").code()).isEqualTo(2);
    }

    @Test
    void blobPut_fromAFileAndStdin_andGet_toAFileAndStdout() throws Exception {
        String key = "charts/" + UUID.randomUUID() + "/q1.png";
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 42};
        Path file = Files.createTempFile("q1", ".png");
        Files.write(file, png);
        Run put = jobs("blob", "put", key, file.toString());
        assertThat(put.code()).as(put.err()).isEqualTo(0);
        assertThat(put.out()).contains("stored " + key, "9 bytes", "image/png");

        Path back = Files.createTempFile("back", ".png");
        Run get = jobs("blob", "get", key, "-o", back.toString());
        assertThat(get.code()).isEqualTo(0);
        assertThat(Files.readAllBytes(back)).isEqualTo(png);

        Run piped = jobsIn("hello\n".getBytes(StandardCharsets.UTF_8), "--json", "blob", "put", "notes/hello.txt", "-", "--content-type", "text/plain");
        assertThat(piped.json().get("contentType").asText()).startsWith("text/plain");
        assertThat(jobs("blob", "get", "notes/hello.txt").out()).isEqualTo("hello\n");

        Run refused = jobs("blob", "put", "jobs/x.png", file.toString());
        assertThat(refused.code()).isEqualTo(3);
        assertThat(refused.err()).contains("error: 400", "key");
        assertThat(jobs("blob", "get", "charts/none.png").code()).isEqualTo(3);
        assertThat(jobs("blob", "put", "a.png", "/no/such/file").code()).isEqualTo(2);
        Run leading = jobs("blob", "get", "/charts/q1.png");
        assertThat(leading.code()).as("refused before sending").isEqualTo(2);
        assertThat(leading.err()).contains("no leading /");
    }

    @Test
    void submitBatch_fromNdjsonAndAJsonArray_exits6WhenSomeAreRejected() throws Exception {
        Assumptions.assumeTrue(TestStack.described("/v1/jobs/batch"), "POST /v1/jobs/batch is not in api/openapi.json on this branch yet");
        String key = "cli-batch-" + UUID.randomUUID();
        String ndjson = "{\"type\":\"webhook.deliver\",\"payload\":" + stack.webhook("/ok") + ",\"idempotencyKey\":\"" + key + "\"}\n"
                + "{\"type\":\"webhook.deliver\",\"payload\":{\"body\":{}}}\n"
                + "{\"type\":\"example.hello\",\"payload\":{\"name\":\"Ada\"},\"delay\":600}\n";
        Run r = jobsIn(ndjson.getBytes(StandardCharsets.UTF_8), "submit-batch");
        assertThat(r.code()).as(r.err()).isEqualTo(6);
        assertThat(r.out()).contains("accepted 2, replayed 0, rejected 1", "jobs[1].payload.url", "scheduled");

        Path file = Files.createTempFile("jobs", ".json");
        Files.writeString(file, "[{\"type\":\"webhook.deliver\",\"payload\":" + stack.webhook("/ok") + ",\"idempotencyKey\":\"" + key + "\"}]");
        Run again = jobs("--json", "submit-batch", file.toString());
        assertThat(again.code()).as(again.err()).isEqualTo(0);
        assertThat(again.json().get("replayed").asInt()).isEqualTo(1);
        assertThat(again.json().get("results").get(0).get("idempotencyKey").asText()).isEqualTo(key);

        Files.writeString(file, "{\"jobs\":[{\"type\":\"webhook.deliver\",\"payload\":{}}]}");
        Run none = jobs("submit-batch", file.toString());
        assertThat(none.code()).isEqualTo(3);
        Files.writeString(file, "{\"jobs\":[]}");
        assertThat(jobs("submit-batch", file.toString()).code()).isEqualTo(2);
        Files.writeString(file, "{\"type\":\"webhook.deliver\"");
        assertThat(jobs("submit-batch", file.toString()).code()).isEqualTo(2);
    }
}
