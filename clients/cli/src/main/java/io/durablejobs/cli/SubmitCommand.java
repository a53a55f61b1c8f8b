package io.durablejobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.client.Job;
import io.durablejobs.client.JobAccepted;
import io.durablejobs.client.SubmitRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "submit", description = "Submit a job. PAYLOAD is JSON text, @FILE, or - (stdin; the default).%n"
        + "Every submit carries an Idempotency-Key (one is made when --idempotency-key is not given) and is retried with it.",
        mixinStandardHelpOptions = true)
final class SubmitCommand implements Callable<Integer> {
    @ParentCommand
    JobsCli root;

    @Parameters(index = "0", paramLabel = "TYPE", description = "the job type, e.g. webhook.deliver")
    String type;

    @Parameters(index = "1", paramLabel = "PAYLOAD", arity = "0..1", defaultValue = "-", description = "JSON, @file, or - for stdin")
    String payload;

    @Option(names = {"-p", "--priority"}, description = "0-9 (default: the API's, 4)")
    Integer priority;

    @Option(names = {"-k", "--idempotency-key"}, description = "resubmitting with the same key returns the same job")
    String idempotencyKey;

    @Option(names = "--run-at", paramLabel = "INSTANT", description = "run no earlier than this RFC 3339 instant, e.g. 2026-12-01T09:00:00Z")
    String runAt;

    @Option(names = "--delay", paramLabel = "DURATION", description = "run after this long: ISO-8601 (PT10M, P2D) or seconds")
    String delay;

    @Option(names = "--callback-url", paramLabel = "URL",
            description = "have the job's final outcome POSTed here as a signed Standard Webhook (https; the API checks it)")
    String callbackUrl;

    @Option(names = {"-w", "--wait"}, description = "wait until the job succeeds, dead-letters or is cancelled, showing progress; exit 1 unless it succeeds")
    boolean await;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "how long --wait waits, ISO-8601 (default PT5M) or seconds")
    String timeout;

    @Override
    public Integer call() {
        if (priority != null && (priority < 0 || priority > 9)) {
            throw new UsageException("--priority must be 0-9");
        }
        Duration wait = WaitCommand.duration(timeout, "--timeout");
        if (runAt != null && delay != null) {
            throw new UsageException("--run-at or --delay, not both");
        }
        Instant at = runAt == null ? null : instant(runAt, "--run-at");
        Duration after = delay == null ? null : WaitCommand.duration(delay, "--delay", true);
        JsonNode body = readPayload();
        JobAccepted a = root.client().submit(new SubmitRequest(type, body, priority, idempotencyKey, at, after, callbackUrl));
        Output o = root.output();
        if (!await) {
            if (o.json()) {
                o.json(a);
            } else {
                o.fields("accepted", a.jobId(), "type", a.type(), "status", a.status().wire(), "run at", a.runAt(),
                        "idempotency-key", a.idempotencyKey(),
                        "replayed", a.replayed() ? "yes: the first response to this Idempotency-Key" : null);
            }
            return ExitCodes.OK;
        }
        if (!o.json()) {
            root.io.err().println("accepted " + a.jobId() + (a.replayed() ? " (replayed: same Idempotency-Key)" : "") + "; waiting");
        }
        Job done = root.client().waitUntilFinal(a.jobId(), wait, j -> {
            if (!o.json()) {
                root.io.err().println(JobView.progress(j));
            }
        });
        JobView.print(o, done);
        return JobView.exitCode(done);
    }

    /** RFC 3339 with an offset ({@code Z} or {@code +01:00}), as the API takes it. */
    static Instant instant(String text, String option) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new UsageException(option + ": not an RFC 3339 instant with an offset (e.g. 2026-12-01T09:00:00Z): " + text);
        }
    }

    private JsonNode readPayload() {
        return readJsonObject(payload, root.io, "payload");
    }

    /** JSON text, {@code @file}, or {@code -} (stdin), which must be a JSON object. */
    static JsonNode readJsonObject(String payload, Io io, String what) {
        String text;
        String source;
        try {
            if (payload.equals("-")) {
                source = "stdin";
                text = new String(io.in().readAllBytes(), StandardCharsets.UTF_8);
            } else if (payload.startsWith("@")) {
                source = payload.substring(1);
                text = Files.readString(Path.of(source));
            } else {
                source = "the PAYLOAD argument";
                text = payload;
            }
        } catch (IOException e) {
            throw new UsageException("cannot read the " + what + ": " + e.getMessage());
        }
        if (text.isBlank()) {
            throw new UsageException("the " + what + " from " + source + " is empty (give JSON, @file, or pipe it in)");
        }
        try {
            JsonNode n = JobsCli.JSON.readTree(text);
            if (n == null || !n.isObject()) {
                throw new UsageException("the " + what + " from " + source + " must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new UsageException("the " + what + " from " + source + " is not JSON: " + e.getOriginalMessage());
        }
    }
}
