package io.durablejobs.core.work;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.topology.Topology;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns jobs into AMQP messages and back: the wire format in one place. */
public final class JobMessages {
    /** Older entries are dropped first; headers must stay well under the broker's frame size. */
    public static final int MAX_HISTORY = 20;

    private final Topology topology;

    public JobMessages(Topology topology) {
        this.topology = topology;
    }

    public OutboundMessage initial(JobEnvelope job, String traceparent) {
        Map<String, Object> headers = baseHeaders(job, 1, traceparent);
        return new OutboundMessage(topology.jobsExchange(), topology.routingKeyOf(job.type(), job.jobId()), encode(job), headers,
                job.jobId(), job.type(), job.priority());
    }

    /** The next attempt, after a tier's delay. {@code deferredMillis}: the job's total deferral so far, carried along. */
    public OutboundMessage retry(JobEnvelope job, int nextAttempt, Duration tier, List<FailureEntry> history, String traceparent,
                                 long deferredMillis) {
        Map<String, Object> headers = baseHeaders(job, nextAttempt, traceparent, deferredMillis > 0 ? deferredMillis : null);
        headers.put(Topology.TIER_HEADER, RetryTiers.label(tier));
        headers.put(JobHeaders.HISTORY, historyJson(history));
        // The tier queue dead-letters the message back to the jobs exchange with this routing key: its own shard.
        return new OutboundMessage(topology.retryExchange(), topology.routingKeyOf(job.type(), job.jobId()), encode(job), headers,
                job.jobId(), job.type(), job.priority());
    }

    /**
     * A delayed job on its way to its due time: one hop through a retry tier, same attempt, the due time
     * carried along. The first publish of a delayed job is such a hop too (attempt 1, no history).
     */
    public OutboundMessage scheduled(JobEnvelope job, int attempt, Instant dueAt, Duration hop, List<FailureEntry> history,
                                     String traceparent, long deferredMillis) {
        OutboundMessage m = retry(job, attempt, hop, history, traceparent, deferredMillis);
        Map<String, Object> headers = new HashMap<>(m.headers());
        headers.put(JobHeaders.DUE_AT, dueAt.toString());
        return new OutboundMessage(m.exchange(), m.routingKey(), m.body(), headers, m.messageId(), m.type(), m.priority());
    }

    /** The first publish of a delayed job accepted at {@code now}: its first hop toward {@code dueAt}. */
    public OutboundMessage delayed(JobEnvelope job, String traceparent, Instant dueAt, Instant now) {
        return scheduled(job, 1, dueAt, topology.tiers().hopToward(Duration.between(now, dueAt)), List.of(), traceparent, 0);
    }

    /** The due time a delayed job's message carries, or null (a job to run at once, or an unreadable header). */
    public static Instant dueAt(IncomingMessage m) {
        String raw = m.header(JobHeaders.DUE_AT);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.trim());
        } catch (DateTimeParseException e) {
            return null; // a damaged header must not hold the job back forever: it runs now
        }
    }

    /** The same attempt again later, without spending it (open breaker, busy lease, deadline too near). */
    public OutboundMessage deferred(JobEnvelope job, int attempt, Duration tier, List<FailureEntry> history, String traceparent,
                                    long totalDeferredMillis) {
        return retry(job, attempt, tier, history, traceparent, totalDeferredMillis);
    }

    /** A job given up on. The raw body is kept as it came, so even an undecodable message can be inspected. */
    public OutboundMessage deadLetter(IncomingMessage source, JobEnvelope jobOrNull, int attempts, String reason,
                                      String error, List<FailureEntry> history) {
        Map<String, Object> headers = new HashMap<>();
        source.headers().forEach((k, v) -> {
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                headers.put(k, v);
            }
        });
        headers.remove(Topology.TIER_HEADER);
        headers.put(JobHeaders.ATTEMPT, attempts);
        headers.put(JobHeaders.REASON, reason);
        if (error != null) {
            headers.put(JobHeaders.ERROR, truncate(error, FailureEntry.MAX_ERROR_CHARS));
        }
        headers.put(JobHeaders.SOURCE_QUEUE, source.queue() == null ? "" : source.queue());
        headers.put(JobHeaders.HISTORY, historyJson(history));
        String type = jobOrNull == null ? "unknown" : jobOrNull.type();
        String id = jobOrNull == null ? source.messageId() : jobOrNull.jobId();
        int priority = jobOrNull == null ? 0 : jobOrNull.priority();
        return new OutboundMessage(topology.deadLetterExchange(), type, source.body(), headers, id, type, priority);
    }

    private static Map<String, Object> baseHeaders(JobEnvelope job, int attempt, String traceparent) {
        return baseHeaders(job, attempt, traceparent, null);
    }

    private static Map<String, Object> baseHeaders(JobEnvelope job, int attempt, String traceparent, Long deferred) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(JobHeaders.ATTEMPT, attempt);
        headers.put(JobHeaders.TENANT, job.tenant());
        if (traceparent != null) {
            headers.put(JobHeaders.TRACEPARENT, traceparent);
        }
        if (deferred != null) {
            headers.put(JobHeaders.DEFERRED_MS, deferred);
        }
        return headers;
    }

    public static byte[] encode(JobEnvelope job) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("jobId", job.jobId());
        n.put("tenant", job.tenant());
        n.put("type", job.type());
        n.put("priority", job.priority());
        n.put("createdAt", job.createdAt().toString());
        n.set("payload", job.payload());
        if (job.callbackUrl() != null) {
            n.put("callbackUrl", job.callbackUrl());
        }
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException when the body is not a job envelope */
    public static JobEnvelope decode(byte[] body) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("body is unreadable");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("body is not a JSON object");
        }
        try {
            return new JobEnvelope(text(n, "jobId"), text(n, "tenant"), text(n, "type"), required(n, "payload"),
                    n.path("priority").asInt(4), Instant.parse(text(n, "createdAt")), n.path("callbackUrl").textValue());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("createdAt is not an ISO-8601 instant");
        }
    }

    public static List<FailureEntry> history(IncomingMessage m) {
        return history(m.header(JobHeaders.HISTORY));
    }

    /** A history as {@link #historyJson} wrote it; empty when absent or damaged. */
    public static List<FailureEntry> history(String raw) {
        if (raw == null || raw.isBlank()) {
            return new ArrayList<>();
        }
        try {
            List<Map<String, Object>> list = Json.MAPPER.readValue(raw, new TypeReference<>() { });
            List<FailureEntry> out = new ArrayList<>();
            for (Map<String, Object> e : list) {
                out.add(new FailureEntry(((Number) e.getOrDefault("attempt", 0)).intValue(),
                        Instant.parse(String.valueOf(e.get("at"))), (String) e.get("reason"), (String) e.get("error")));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            // A damaged history must not stop the job; start a new one.
            return new ArrayList<>();
        }
    }

    public static String historyJson(List<FailureEntry> history) {
        List<FailureEntry> tail = history.size() > MAX_HISTORY ? history.subList(history.size() - MAX_HISTORY, history.size()) : history;
        var arr = Json.MAPPER.createArrayNode();
        for (FailureEntry e : tail) {
            ObjectNode o = arr.addObject();
            o.put("attempt", e.attempt());
            o.put("at", e.at().toString());
            o.put("reason", e.reason());
            o.put("error", e.error());
        }
        return arr.toString();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("missing or non-text field " + field);
        }
        return v.asText();
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field " + field);
        }
        return v;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}
