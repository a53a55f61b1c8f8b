package io.durablejobs.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.JobTypeRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Validates a submit body at the edge: every problem reported with its field, nothing unknown let through. */
public final class SubmitRequestParser {
    private static final Set<String> FIELDS = Set.of("type", "payload", "priority");

    private final JobTypeRegistry registry;

    public SubmitRequestParser(JobTypeRegistry registry) {
        this.registry = registry;
    }

    /** Either a request or the problems that make it invalid. */
    public record Parsed(SubmitRequest request, List<FieldError> errors, String syntaxError) {
    }

    public Parsed parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            return new Parsed(null, List.of(), "malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Parsed(null, List.of(), "unreadable body");
        }
        if (root == null || root.isMissingNode()) {
            return new Parsed(null, List.of(), "the body is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            return new Parsed(null, List.of(new FieldError("(body)", "must be a JSON object")), null);
        }
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError(f, "unknown field; allowed: type, payload, priority"));
            }
        }
        JsonNode typeNode = root.get("type");
        JobType type = null;
        if (typeNode == null || typeNode.isNull()) {
            errors.add(new FieldError("type", "is required"));
        } else if (!typeNode.isTextual()) {
            errors.add(new FieldError("type", "must be a string"));
        } else {
            type = registry.find(typeNode.asText()).orElse(null);
            if (type == null) {
                errors.add(new FieldError("type", "unknown job type '" + clip(typeNode.asText()) + "'; known: " + String.join(", ", registry.names())));
            }
        }
        int priority = SubmitRequest.DEFAULT_PRIORITY;
        JsonNode p = root.get("priority");
        if (p != null && !p.isNull()) {
            // canConvertToInt first: asLong() of 18446744073709551621 wraps to 5.
            if (!p.isIntegralNumber() || !p.canConvertToInt() || p.intValue() < 0 || p.intValue() > 9) {
                errors.add(new FieldError("priority", "must be an integer from 0 to 9"));
            } else {
                priority = p.asInt();
            }
        }
        JsonNode payload = root.get("payload");
        if (payload == null || payload.isNull()) {
            errors.add(new FieldError("payload", "is required"));
        } else if (!payload.isObject()) {
            errors.add(new FieldError("payload", "must be a JSON object"));
        } else if (type != null) {
            for (FieldError e : type.validate(payload)) {
                errors.add(new FieldError(e.field().startsWith("payload") ? e.field() : "payload." + e.field(), e.message()));
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, errors, null);
        }
        return new Parsed(new SubmitRequest(type.name(), payload, priority), List.of(), null);
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
