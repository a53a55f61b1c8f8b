package io.durablejobs.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@link JobsClient#submitBatch} call: keys first (so every retry is safe), then chunks within the API's
 * limits, each sent and its passing rejections sent again until accepted or the retry budget is spent.
 */
final class BatchSubmit {
    /** The API's limits on one {@code POST /v1/jobs/batch}: more is a {@code 413}. */
    static final int MAX_ITEMS = 500;
    static final int MAX_BYTES = 2 * 1024 * 1024;
    /** Item rejections that say "not now" rather than "not this": key still being accepted, over the rate, unavailable. */
    private static final Set<Integer> PASSING = Set.of(409, 429, 503);
    private static final Pattern ITEM_PATH = Pattern.compile("^jobs\\[(\\d+)]");

    private final JobsClient client;
    private final List<String> keys = new ArrayList<>();
    private final List<byte[]> items = new ArrayList<>();
    private final BatchResult.Item[] results;

    BatchSubmit(JobsClient client, List<SubmitRequest> requests) {
        if (requests == null || requests.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one job");
        }
        this.client = client;
        for (SubmitRequest r : requests) {
            String key = r.idempotencyKey() != null ? r.idempotencyKey() : UUID.randomUUID().toString();
            keys.add(key);
            items.add(JobsClient.bytes(JobsClient.submitBody(r).put("idempotencyKey", key)));
        }
        results = new BatchResult.Item[requests.size()];
    }

    BatchResult run() {
        List<Integer> chunk = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < items.size(); i++) {
            int size = items.get(i).length + 1;
            // {"jobs":[...]} around the items; a comma between each.
            if (!chunk.isEmpty() && (chunk.size() == MAX_ITEMS || bytes + size + 16 > MAX_BYTES)) {
                send(chunk);
                chunk = new ArrayList<>();
                bytes = 0;
            }
            chunk.add(i);
            bytes += size;
        }
        send(chunk);
        int accepted = 0;
        int replayed = 0;
        int rejected = 0;
        for (BatchResult.Item it : results) {
            switch (it.status()) {
                case ACCEPTED -> accepted++;
                case REPLAYED -> replayed++;
                default -> rejected++;
            }
        }
        return new BatchResult(accepted, replayed, rejected, List.of(results));
    }

    private void send(List<Integer> chunk) {
        RetryPolicy policy = client.retryPolicy();
        long deadline = System.nanoTime() + policy.budget().toNanos();
        List<Integer> pending = chunk;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> r;
            try {
                r = client.once("POST", "/v1/jobs/batch", body(pending));
            } catch (IOException e) {
                Duration wait = policy.backoff(attempt, null);
                if (!JobsClient.fits(deadline, wait)) {
                    throw new TransportException("POST " + client.baseUrl() + "/v1/jobs/batch failed: " + e, e);
                }
                client.pause(wait);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobsException("interrupted", e);
            }
            Duration retryAfter = JobsClient.retryAfter(r);
            JsonNode answer = batchAnswer(r);
            if (answer == null) {
                // A problem with the request as a whole: nothing in it was accepted.
                Problem p = JobsClient.problem(r);
                Duration wait = policy.backoff(attempt, retryAfter);
                boolean passing = JobsClient.TRANSIENT.contains(r.statusCode()) || r.statusCode() == 409;
                if (r.statusCode() < 400) {
                    throw new JobsException("unexpected response to POST /v1/jobs/batch (" + r.statusCode() + "): no results");
                }
                if (!passing || !JobsClient.fits(deadline, wait)) {
                    throw ProblemException.of(p, retryAfter);
                }
                client.pause(wait);
                continue;
            }
            List<Integer> again = new ArrayList<>();
            boolean[] answered = new boolean[pending.size()];
            for (JsonNode n : answer.get("results")) {
                BatchResult.Item it;
                try {
                    it = JobsClient.JSON.treeToValue(n, BatchResult.Item.class);
                } catch (IOException | IllegalArgumentException e) {
                    throw new JobsException("unexpected result in the answer to POST /v1/jobs/batch: " + e.getMessage(), e);
                }
                if (it.index() < 0 || it.index() >= pending.size() || answered[it.index()]) {
                    throw new JobsException("the answer to POST /v1/jobs/batch has a result for index " + it.index() + " of " + pending.size());
                }
                answered[it.index()] = true;
                int original = pending.get(it.index());
                results[original] = renumber(it, original);
                if (it.status() == BatchResult.ItemStatus.REJECTED && it.problem() != null && PASSING.contains(it.problem().status())) {
                    again.add(original);
                }
            }
            for (int i = 0; i < answered.length; i++) {
                if (!answered[i]) {
                    throw new JobsException("the answer to POST /v1/jobs/batch has no result for index " + i + " of " + pending.size());
                }
            }
            if (again.isEmpty()) {
                return;
            }
            Duration wait = policy.backoff(attempt, retryAfter);
            if (!JobsClient.fits(deadline, wait)) {
                return; // they stay rejected, each with its problem
            }
            client.pause(wait);
            pending = again;
        }
    }

    private byte[] body(List<Integer> indices) {
        int size = 12;
        for (int i : indices) {
            size += items.get(i).length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.writeBytes("{\"jobs\":[".getBytes(StandardCharsets.US_ASCII));
        for (int k = 0; k < indices.size(); k++) {
            if (k > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(indices.get(k)));
        }
        out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The batch answer (202, 207, 422, or a 429 whose every item is rate-limited), or null when the body is a problem. */
    private static JsonNode batchAnswer(HttpResponse<byte[]> r) {
        try {
            JsonNode n = JobsClient.JSON.readTree(r.body());
            return n != null && n.isObject() && n.path("results").isArray() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The item as the caller numbered it: its index in the caller's list, and field paths {@code jobs[<that index>]...}. */
    private BatchResult.Item renumber(BatchResult.Item it, int original) {
        Problem p = it.problem();
        if (p != null && original != it.index()) {
            List<Problem.FieldError> errors = new ArrayList<>();
            for (Problem.FieldError f : p.errors()) {
                String field = f.field();
                Matcher m = field == null ? null : ITEM_PATH.matcher(field);
                errors.add(m != null && m.find() ? new Problem.FieldError(m.replaceFirst("jobs[" + original + "]"), f.message()) : f);
            }
            p = new Problem(p.type(), p.title(), p.status(), p.detail(), errors);
        }
        return new BatchResult.Item(original, it.status(), it.jobId(), it.type(), it.jobStatus(), it.runAt(), p, keys.get(original));
    }
}
