package io.durablejobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.client.TestStack;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI end to end: every command against the local host over the real RabbitMQ and Redis, held to api/openapi.json. */
class JobsCliIT {
    static TestStack stack;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JobsCli.JSON.readTree(out);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        stack = TestStack.start();
    }

    @AfterAll
    static void stop() {
        TestStack.closeAndCheckContract(stack);
    }

    static Run jobs(String stdin, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = JobsCli.run(args, new Io(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        Run r = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        assertThat(r.err()).as("never a stack trace").doesNotContain("\tat ").doesNotContain("Exception:");
        return r;
    }

    static Map<String, String> env() {
        return Map.of("JOBS_API_URL", stack.url().toString(), "JOBS_API_KEY", stack.key);
    }

    static Run jobs(String... args) {
        return jobs("", env(), args);
    }

    @Test
    void submitWait_fromAnArgument_showsProgress_andExits0WhenItSucceeds() {
        Run r = jobs("submit", "webhook.deliver", stack.webhook("/ok"), "--wait", "--timeout", "60");
        assertThat(r.code()).as(r.err()).isEqualTo(0);
        assertThat(r.out()).contains("status", "succeeded", "statusCode");
        assertThat(r.err()).contains("accepted", "succeeded");
    }

    @Test
    void submitFromStdin_thenGetAndWait_inJson() throws Exception {
        Run submitted = jobs(stack.webhook("/ok"), env(), "--json", "submit", "webhook.deliver", "--priority", "2");
        assertThat(submitted.code()).as(submitted.err()).isEqualTo(0);
        String id = submitted.json().get("jobId").asText();
        assertThat(submitted.json().get("idempotencyKey").asText()).isNotBlank();

        Run got = jobs("get", id, "--json");
        assertThat(got.code()).isEqualTo(0);
        assertThat(got.json().get("jobId").asText()).isEqualTo(id);

        Run waited = jobs("wait", id, "--json", "--timeout", "PT1M");
        assertThat(waited.code()).isEqualTo(0);
        assertThat(waited.json().get("status").asText()).isEqualTo("succeeded");
    }

    @Test
    void aJobThatDeadLetters_exits1_andTheDlqCommands_listShowReplayAndDiscardIt() throws Exception {
        Path file = Files.createTempFile("payload", ".json");
        Files.writeString(file, stack.webhook("/gone"));
        Run r = jobs("submit", "webhook.deliver", "@" + file, "--wait", "--json");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        String id = r.json().get("jobId").asText();
        assertThat(r.json().get("status").asText()).isEqualTo("dead_lettered");

        await().atMost(Duration.ofSeconds(30)).until(() -> jobs("dlq", "list", "--type", "webhook.deliver", "--limit", "100").out().contains(id));
        Run list = jobs("dlq", "list");
        assertThat(list.out()).contains("JOB ID", "REASON", id);

        Run show = jobs("dlq", "show", id);
        assertThat(show.code()).isEqualTo(0);
        assertThat(show.out()).contains("payload", "/gone", "ATTEMPT");

        Run replay = jobs("dlq", "replay", id);
        assertThat(replay.code()).isEqualTo(0);
        assertThat(replay.out()).contains("replayed " + id + " (generation 1)");
        assertThat(jobs("wait", id, "--timeout", "60").code()).as("dead again: /gone still answers 410").isEqualTo(1);

        Run dry = jobs("dlq", "replay", "--all", "--type", "webhook.deliver", "--dry-run", "--json");
        assertThat(dry.code()).isEqualTo(0);
        assertThat(dry.json().get("dryRun").asBoolean()).isTrue();

        await().atMost(Duration.ofSeconds(30)).until(() -> jobs("dlq", "show", id, "--json").out().contains("\"generation\":1"));
        assertThat(jobs("dlq", "discard", id).out()).contains("discarded " + id);
        Run gone = jobs("dlq", "show", id);
        assertThat(gone.code()).isEqualTo(3);
        assertThat(gone.err()).contains("error: 404 Not found: no such dead letter");
    }

    @Test
    void submitWithCallbackUrl_callsTheUrlBack_withTheJobsFinalStatus() throws Exception {
        String okCallback = "/ok/callback-" + UUID.randomUUID();
        Run ok = jobs("--json", "submit", "webhook.deliver", stack.webhook("/ok"), "--callback-url", stack.receiverUrl(okCallback));
        assertThat(ok.code()).as(ok.err()).isEqualTo(0);
        String okId = ok.json().get("jobId").asText();
        String goneCallback = "/ok/callback-" + UUID.randomUUID();
        Run gone = jobs("--json", "submit", "webhook.deliver", stack.webhook("/gone"), "--callback-url", stack.receiverUrl(goneCallback));
        assertThat(gone.code()).as(gone.err()).isEqualTo(0);
        String goneId = gone.json().get("jobId").asText();

        await().atMost(Duration.ofSeconds(60)).until(() -> !stack.received(okCallback).isEmpty() && !stack.received(goneCallback).isEmpty());
        JsonNode succeeded = JobsCli.JSON.readTree(stack.received(okCallback).get(0));
        assertThat(succeeded.get("jobId").asText()).isEqualTo(okId);
        assertThat(succeeded.get("status").asText()).isEqualTo("succeeded");
        JsonNode dead = JobsCli.JSON.readTree(stack.received(goneCallback).get(0));
        assertThat(dead.get("jobId").asText()).isEqualTo(goneId);
        assertThat(dead.get("status").asText()).isEqualTo("dead_lettered");

        // The dead letter keeps its callback, so whoever replays it sees where the outcome will be called back.
        await().atMost(Duration.ofSeconds(30)).until(() -> jobs("dlq", "show", goneId).code() == 0);
        assertThat(jobs("dlq", "show", goneId).out()).containsPattern("callback\\s+" + Pattern.quote(stack.receiverUrl(goneCallback)));
        assertThat(jobs("--json", "dlq", "show", goneId).json().get("callbackUrl").asText()).isEqualTo(stack.receiverUrl(goneCallback));
    }

    @Test
    void stats_isATable_andJson() throws Exception {
        jobs("submit", "webhook.deliver", stack.webhook("/ok"), "--wait");
        Run table = jobs("stats");
        assertThat(table.code()).isEqualTo(0);
        assertThat(table.out()).contains("TYPE", "ACCEPTED", "webhook.deliver", "(all)", "balanced: yes");
        Run json = jobs("--json", "stats");
        assertThat(json.json().get("accepted").asLong()).isPositive();
    }

    @Test
    void mistakes_printTheProblem_withTheirExitCodes() throws Exception {
        Run invalid = jobs("submit", "webhook.deliver", "{\"body\":1}");
        assertThat(invalid.code()).isEqualTo(3);
        assertThat(invalid.err()).contains("error: 400 The request is not valid", "payload.url", "/problems/validation");

        assertThat(jobs("submit", "webhook.deliver", "[1]").code()).isEqualTo(2);
        assertThat(jobs("submit", "webhook.deliver", "@/no/such/file").code()).isEqualTo(2);
        assertThat(jobs("get").code()).isEqualTo(2);

        Map<String, String> badKey = new HashMap<>(env());
        badKey.put("JOBS_API_KEY", "not-a-key");
        Run unauthorized = jobs("", badKey, "stats");
        assertThat(unauthorized.code()).isEqualTo(3);
        assertThat(unauthorized.err()).contains("401 Unauthorized");

        Map<String, String> noKey = new HashMap<>(env());
        noKey.remove("JOBS_API_KEY");
        assertThat(jobs("", noKey, "stats").err()).contains("no API key");

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Map<String, String> down = new HashMap<>(env());
        down.put("JOBS_API_URL", "http://127.0.0.1:" + closed);
        Run unreachable = jobs("", down, "dlq", "replay", "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        assertThat(unreachable.code()).isEqualTo(4);
        assertThat(unreachable.err()).contains("cannot be reached");
    }

    @Test
    void theLauncher_findsAJdk_andRunsTheCli() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isExecutable(root.resolve("jobs")) || !Files.isDirectory(root.resolve("clients"))) {
            root = root.getParent();
        }
        ProcessBuilder pb = new ProcessBuilder(root.resolve("jobs").toString(), "--json", "stats").redirectErrorStream(false);
        pb.environment().putAll(env());
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(0);
        assertThat(JobsCli.JSON.readTree(out).has("accepted")).isTrue();
    }
}
