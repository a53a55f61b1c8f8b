package io.durablejobs.core.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The stored JSON form of a dead letter and of an audit entry (the same in every store). */
public final class DeadLetterJson {
    private DeadLetterJson() {
    }

    public static ObjectNode toJson(DeadLetter d) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("jobId", d.jobId());
        n.put("tenant", d.tenant());
        n.put("type", d.type());
        n.put("reason", d.reason());
        n.put("error", d.error());
        n.put("attempts", d.attempts());
        n.set("history", history(d.history()));
        n.set("payload", d.payload());
        n.put("priority", d.priority());
        n.put("rawBody", d.rawBody());
        n.put("sourceQueue", d.sourceQueue());
        n.put("origin", d.origin());
        n.put("traceparent", d.traceparent());
        n.put("traceId", d.traceId());
        n.put("createdAt", str(d.createdAt()));
        n.put("deadLetteredAt", str(d.deadLetteredAt()));
        n.put("recordedAt", str(d.recordedAt()));
        n.put("deathKey", d.deathKey());
        n.put("generation", d.generation());
        n.put("state", d.state().name().toLowerCase(Locale.ROOT));
        if (d.replay() != null) {
            n.putObject("replay").put("at", str(d.replay().at())).put("by", d.replay().by()).put("generation", d.replay().generation());
        }
        if (d.callbackUrl() != null) {
            n.put("callbackUrl", d.callbackUrl());
        }
        ArrayNode prev = n.putArray("previous");
        for (DeadLetter.Lineage l : d.previous()) {
            prev.addObject().put("deadLetteredAt", str(l.deadLetteredAt())).put("reason", l.reason()).put("attempts", l.attempts())
                    .put("replayedAt", str(l.replayedAt())).put("replayedBy", l.replayedBy());
        }
        return n;
    }

    public static ArrayNode history(List<FailureEntry> history) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (FailureEntry e : history) {
            arr.addObject().put("attempt", e.attempt()).put("at", str(e.at())).put("reason", e.reason()).put("error", e.error());
        }
        return arr;
    }

    public static byte[] bytes(DeadLetter d) {
        try {
            return Json.MAPPER.writeValueAsBytes(toJson(d));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws IllegalArgumentException when the bytes are not a stored dead letter */
    public static DeadLetter parse(byte[] bytes) {
        try {
            return fromJson(Json.MAPPER.readTree(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a dead-letter record: " + e.getMessage(), e);
        }
    }

    public static DeadLetter fromJson(JsonNode n) {
        List<FailureEntry> history = new ArrayList<>();
        for (JsonNode e : n.path("history")) {
            history.add(new FailureEntry(e.path("attempt").asInt(), instant(e.get("at")), text(e.get("reason")), text(e.get("error"))));
        }
        List<DeadLetter.Lineage> previous = new ArrayList<>();
        for (JsonNode l : n.path("previous")) {
            previous.add(new DeadLetter.Lineage(instant(l.get("deadLetteredAt")), text(l.get("reason")), l.path("attempts").asInt(),
                    instant(l.get("replayedAt")), text(l.get("replayedBy"))));
        }
        JsonNode r = n.get("replay");
        DeadLetter.Replay replay = r == null || r.isNull() ? null
                : new DeadLetter.Replay(instant(r.get("at")), text(r.get("by")), r.path("generation").asInt());
        JsonNode payload = n.get("payload");
        return new DeadLetter(text(n.get("jobId")), text(n.get("tenant")), text(n.get("type")), text(n.get("reason")),
                text(n.get("error")), n.path("attempts").asInt(), history, payload == null || payload.isNull() ? null : payload,
                n.path("priority").asInt(4), text(n.get("rawBody")), text(n.get("sourceQueue")), text(n.get("origin")),
                text(n.get("traceparent")), text(n.get("traceId")), instant(n.get("createdAt")), instant(n.get("deadLetteredAt")),
                instant(n.get("recordedAt")), text(n.get("deathKey")), n.path("generation").asInt(),
                "replayed".equals(text(n.get("state"))) ? DeadLetter.State.REPLAYED : DeadLetter.State.DEAD, replay, previous,
                text(n.get("callbackUrl")));
    }

    public static byte[] bytes(AuditEntry a) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("at", str(a.at()));
        n.put("tenant", a.tenant());
        n.put("actor", a.actor());
        n.put("action", a.action());
        n.put("jobId", a.jobId());
        n.put("detail", a.detail());
        n.put("outcome", a.outcome());
        try {
            return Json.MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static AuditEntry parseAudit(byte[] bytes) {
        try {
            JsonNode n = Json.MAPPER.readTree(bytes);
            return new AuditEntry(instant(n.get("at")), text(n.get("tenant")), text(n.get("actor")), text(n.get("action")),
                    text(n.get("jobId")), text(n.get("detail")), text(n.get("outcome")));
        } catch (IOException e) {
            throw new IllegalArgumentException("not an audit record", e);
        }
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    private static Instant instant(JsonNode n) {
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
