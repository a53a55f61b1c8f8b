package io.durablejobs.core.dlq;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.json.Json;

/** The JSON shapes of dead letters on the API: a listing line, and the whole record. */
public final class DeadLetterViews {
    private DeadLetterViews() {
    }

    public static ObjectNode summary(DeadLetter d) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("jobId", d.jobId());
        n.put("type", d.type());
        n.put("reason", d.reason());
        n.put("attempts", d.attempts());
        n.put("lastError", d.error());
        n.put("deadLetteredAt", d.deadLetteredAt().toString());
        return n;
    }

    public static ObjectNode full(DeadLetter d) {
        ObjectNode n = summary(d);
        n.put("state", d.state() == DeadLetter.State.DEAD ? "dead" : "replayed");
        n.put("origin", d.origin());
        n.put("sourceQueue", d.sourceQueue());
        if (d.createdAt() != null) {
            n.put("createdAt", d.createdAt().toString());
        }
        n.put("recordedAt", d.recordedAt() == null ? null : d.recordedAt().toString());
        n.put("traceId", d.traceId());
        n.put("generation", d.generation());
        n.set("payload", d.payload());
        if (d.callbackUrl() != null) {
            // Shown so that whoever replays knows the replay's outcome will be called back there too.
            n.put("callbackUrl", d.callbackUrl());
        }
        if (d.rawBody() != null) {
            n.put("rawBodyBase64", d.rawBody());
        }
        n.set("history", DeadLetterJson.history(d.history()));
        if (d.replay() != null) {
            n.putObject("replay").put("at", d.replay().at().toString()).put("by", d.replay().by()).put("generation", d.replay().generation());
        }
        ArrayNode lineage = n.putArray("previous");
        for (DeadLetter.Lineage l : d.previous()) {
            ObjectNode o = lineage.addObject().put("deadLetteredAt", l.deadLetteredAt() == null ? null : l.deadLetteredAt().toString())
                    .put("reason", l.reason()).put("attempts", l.attempts());
            o.put("replayedAt", l.replayedAt() == null ? null : l.replayedAt().toString()).put("replayedBy", l.replayedBy());
        }
        return n;
    }
}
