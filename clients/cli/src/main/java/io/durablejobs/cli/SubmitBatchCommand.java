package io.durablejobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.durablejobs.client.BatchResult;
import io.durablejobs.client.Problem;
import io.durablejobs.client.SubmitRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "submit-batch", description = {
        "Submit many jobs at once. FILE (or - for stdin, the default) holds the jobs as a JSON array, as {\"jobs\": [...]}, or as NDJSON "
                + "(one job a line); each job is a submit body: type, payload, and optionally priority, runAt or delay, idempotencyKey, "
                + "callbackUrl.",
        "Every job carries an idempotency key (made when absent), so the client's retries never make a second job. "
                + "Exit 0 when all are accepted, 6 when some are rejected, 3 when none is accepted."},
        mixinStandardHelpOptions = true)
final class SubmitBatchCommand implements Callable<Integer> {
    private static final Set<String> FIELDS = Set.of("type", "payload", "priority", "runAt", "delay", "idempotencyKey", "callbackUrl");

    @ParentCommand
    JobsCli root;

    @Parameters(index = "0", paramLabel = "FILE", arity = "0..1", defaultValue = "-", description = "the jobs, or - for stdin")
    String file;

    @Override
    public Integer call() {
        List<SubmitRequest> requests = read();
        BatchResult r = root.client().submitBatch(requests);
        Output o = root.output();
        if (o.json()) {
            o.json(r);
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (BatchResult.Item it : r.results()) {
                String detail = it.problem() != null ? Output.clip(problem(it.problem()), 100)
                        : it.jobStatus() == null ? null : it.jobStatus().wire() + (it.runAt() == null ? "" : " until " + it.runAt());
                rows.add(List.of(Integer.toString(it.index()), it.status().wire(), Output.cell(it.jobId()), Output.cell(detail)));
            }
            o.table(List.of("#", "RESULT", "JOB ID", "STATUS / PROBLEM"), rows);
            o.line("accepted " + r.accepted() + ", replayed " + r.replayed() + ", rejected " + r.rejected());
        }
        if (r.rejected() == 0) {
            return ExitCodes.OK;
        }
        if (r.accepted() + r.replayed() > 0) {
            return ExitCodes.PARTIAL;
        }
        boolean allPassing = r.results().stream().allMatch(i -> i.problem() != null && (i.problem().status() == 429 || i.problem().status() >= 500));
        return allPassing ? ExitCodes.UNAVAILABLE : ExitCodes.REFUSED;
    }

    /** The problem in one line: {@code 400 The request is not valid: jobs[2].payload.url: is required}. */
    private static String problem(Problem p) {
        StringBuilder s = new StringBuilder().append(p.status()).append(' ').append(p.title());
        if (p.detail() != null && !p.detail().isBlank()) {
            s.append(": ").append(p.detail());
        }
        for (Problem.FieldError f : p.errors()) {
            s.append("; ").append(f.field()).append(": ").append(f.message());
        }
        return s.toString();
    }

    private List<SubmitRequest> read() {
        String text;
        String source = file.equals("-") ? "stdin" : file;
        try {
            text = file.equals("-") ? new String(root.io.in().readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UsageException("cannot read the jobs: " + e.getMessage());
        }
        List<JsonNode> values = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        // One reader for all three shapes: a sequence of JSON values is one array, one {"jobs": [...]}, or NDJSON objects.
        try (MappingIterator<JsonNode> it = JobsCli.JSON.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNextValue()) {
                int line = it.getParser().currentLocation().getLineNr();
                values.add(it.nextValue());
                lines.add(line);
            }
        } catch (IOException | RuntimeException e) {
            String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() + " (line " + j.getLocation().getLineNr() + ")" : e.getMessage();
            throw new UsageException("the jobs from " + source + " are not JSON: " + msg);
        }
        List<JsonNode> items = new ArrayList<>();
        List<String> where = new ArrayList<>();
        if (values.size() == 1 && values.get(0).isArray()) {
            values.get(0).forEach(items::add);
            for (int i = 0; i < items.size(); i++) {
                where.add("job " + i);
            }
        } else if (values.size() == 1 && values.get(0).isObject() && values.get(0).path("jobs").isArray()) {
            values.get(0).get("jobs").forEach(items::add);
            for (int i = 0; i < items.size(); i++) {
                where.add("jobs[" + i + "]");
            }
        } else {
            items.addAll(values);
            for (Integer line : lines) {
                where.add("line " + line);
            }
        }
        if (items.isEmpty()) {
            throw new UsageException("no jobs in " + source);
        }
        List<SubmitRequest> requests = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            requests.add(request(items.get(i), where.get(i) + " of " + source));
        }
        return requests;
    }

    private static SubmitRequest request(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new UsageException(where + ": a job must be a JSON object");
        }
        for (Iterator<String> f = n.fieldNames(); f.hasNext(); ) {
            String name = f.next();
            if (!FIELDS.contains(name)) {
                throw new UsageException(where + ": unknown field " + name + " (type, payload, priority, runAt, delay, idempotencyKey, callbackUrl)");
            }
        }
        if (!n.path("type").isTextual()) {
            throw new UsageException(where + ": type is required (a string)");
        }
        if (!n.path("payload").isObject()) {
            throw new UsageException(where + ": payload is required (a JSON object)");
        }
        Integer priority = null;
        if (n.hasNonNull("priority")) {
            if (!n.get("priority").canConvertToExactIntegral() || n.get("priority").asInt() < 0 || n.get("priority").asInt() > 9) {
                throw new UsageException(where + ": priority must be 0-9");
            }
            priority = n.get("priority").asInt();
        }
        Instant runAt = null;
        if (n.hasNonNull("runAt")) {
            runAt = SubmitCommand.instant(n.get("runAt").asText(), where + ": runAt");
        }
        Duration delay = null;
        if (n.hasNonNull("delay")) {
            JsonNode d = n.get("delay");
            if (d.isNumber()) {
                if (d.asDouble() < 0) {
                    throw new UsageException(where + ": delay must not be negative");
                }
                delay = Duration.ofMillis(Math.round(d.asDouble() * 1000));
            } else {
                delay = WaitCommand.duration(d.asText(), where + ": delay", true);
            }
        }
        if (runAt != null && delay != null) {
            throw new UsageException(where + ": runAt or delay, not both");
        }
        String key = n.hasNonNull("idempotencyKey") ? n.get("idempotencyKey").asText() : null;
        if (n.hasNonNull("callbackUrl") && !n.get("callbackUrl").isTextual()) {
            throw new UsageException(where + ": callbackUrl must be a string (a URL)");
        }
        String callbackUrl = n.hasNonNull("callbackUrl") ? n.get("callbackUrl").asText() : null;
        return new SubmitRequest(n.get("type").asText(), n.get("payload"), priority, key, runAt, delay, callbackUrl);
    }
}
