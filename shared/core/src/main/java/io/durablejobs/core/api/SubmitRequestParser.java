package io.durablejobs.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.config.Durations;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.JobTypeRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Validates a submit body at the edge: every problem reported with its field, nothing unknown let through. */
public final class SubmitRequestParser {
    private static final Set<String> FIELDS = Set.of("type", "payload", "priority", "runAt", "delay", "callbackUrl");
    /** The job type that delivers callbacks: its URL rules are the callback's. */
    static final String CALLBACK_TYPE = "webhook.deliver";

    private final JobTypeRegistry registry;
    private final DelayLimits limits;
    private final Clock clock;
    private final boolean plainHttpCallbacks;

    public SubmitRequestParser(JobTypeRegistry registry) {
        this(registry, DelayLimits.DEFAULT, Clock.systemUTC());
    }

    /** @param clock what "now" is for a {@code runAt} in the past or too far ahead */
    public SubmitRequestParser(JobTypeRegistry registry, DelayLimits limits, Clock clock) {
        this(registry, limits, clock, false);
    }

    /**
     * @param plainHttpCallbacks whether a {@code callbackUrl} may be plain http: only where webhooks may reach
     *                           private networks (a receiver on the developer's machine); otherwise https only
     */
    public SubmitRequestParser(JobTypeRegistry registry, DelayLimits limits, Clock clock, boolean plainHttpCallbacks) {
        this.registry = registry;
        this.limits = limits;
        this.clock = clock;
        this.plainHttpCallbacks = plainHttpCallbacks;
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
        return parse(root);
    }

    /** Validates one job already read as JSON: a submit body, or one item of a batch (without its idempotency key). */
    public Parsed parse(JsonNode root) {
        if (!root.isObject()) {
            return new Parsed(null, List.of(new FieldError("(body)", "must be a JSON object")), null);
        }
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError(f, "unknown field; allowed: type, payload, priority, runAt, delay, callbackUrl"));
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
        Instant runAt = null;
        Duration delay = null;
        JsonNode runAtNode = root.get("runAt");
        JsonNode delayNode = root.get("delay");
        boolean hasRunAt = runAtNode != null && !runAtNode.isNull();
        boolean hasDelay = delayNode != null && !delayNode.isNull();
        if (hasRunAt && hasDelay) {
            errors.add(new FieldError("delay", "give runAt or delay, not both"));
        } else if (hasRunAt) {
            runAt = runAt(runAtNode, errors);
        } else if (hasDelay) {
            delay = delay(delayNode, errors);
        }
        String callbackUrl = callbackUrl(root.get("callbackUrl"), errors);
        if (!errors.isEmpty()) {
            return new Parsed(null, errors, null);
        }
        return new Parsed(new SubmitRequest(type.name(), payload, priority, runAt, delay, callbackUrl), List.of(), null);
    }

    /**
     * Where the final outcome is delivered: webhook.deliver's own URL rules (the callback is one of its jobs,
     * so it must be a URL that type accepts), and https unless plain http is allowed. Where it may resolve to
     * is checked at delivery time by the same SSRF guard as any webhook.
     */
    private String callbackUrl(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("callbackUrl", "must be a string"));
            return null;
        }
        JobType webhooks = registry.find(CALLBACK_TYPE).orElse(null);
        if (webhooks == null) {
            errors.add(new FieldError("callbackUrl", "callbacks are delivered by " + CALLBACK_TYPE + ", which this platform does not run"));
            return null;
        }
        String url = node.textValue();
        for (FieldError e : webhooks.validate(Json.MAPPER.createObjectNode().put("url", url))) {
            if (e.field().equals("url") || e.field().equals("payload.url")) {
                errors.add(new FieldError("callbackUrl", e.message()));
                return null;
            }
        }
        String scheme = url.substring(0, Math.max(0, url.indexOf(':'))).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !plainHttpCallbacks) {
            errors.add(new FieldError("callbackUrl", "must be an https URL"));
            return null;
        }
        return url;
    }

    /** RFC 3339: a date, a time and an offset ({@code 2026-12-01T09:00:00Z}, {@code ...+01:00}); not in the past, not beyond the maximum. */
    private Instant runAt(JsonNode node, List<FieldError> errors) {
        Instant at;
        try {
            at = node.isTextual() ? OffsetDateTime.parse(node.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant() : null;
        } catch (DateTimeParseException e) {
            at = null;
        }
        if (at == null) {
            errors.add(new FieldError("runAt", "must be an RFC 3339 date-time with an offset, e.g. 2026-12-01T09:00:00Z"));
            return null;
        }
        Instant now = clock.instant();
        if (at.isBefore(now.minus(limits.pastGrace()))) {
            errors.add(new FieldError("runAt", "is in the past (now is " + now.truncatedTo(ChronoUnit.SECONDS) + ")"));
            return null;
        }
        if (at.isAfter(now.plus(limits.maxDelay()))) {
            errors.add(new FieldError("runAt", "is more than " + Durations.format(limits.maxDelay()) + " ahead, the maximum delay"));
            return null;
        }
        return at;
    }

    /** An ISO-8601 duration ({@code PT10M}, {@code P2D}) or a number of seconds; 0 to the maximum. */
    private Duration delay(JsonNode node, List<FieldError> errors) {
        Duration d = null;
        if (node.isNumber()) {
            double seconds = node.asDouble();
            if (!Double.isFinite(seconds) || seconds < 0) {
                errors.add(new FieldError("delay", "must be a number of seconds, not negative"));
                return null;
            }
            if (seconds > limits.maxDelay().toSeconds()) {
                errors.add(new FieldError("delay", "must be at most " + Durations.format(limits.maxDelay()) + ", the maximum delay"));
                return null;
            }
            return Duration.ofMillis(Math.round(seconds * 1000));
        } else if (node.isTextual()) {
            try {
                d = Duration.parse(node.asText());
            } catch (DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null) {
            errors.add(new FieldError("delay", "must be an ISO-8601 duration such as PT10M or P2D, or a number of seconds"));
            return null;
        }
        if (d.isNegative()) {
            errors.add(new FieldError("delay", "must not be negative"));
            return null;
        }
        if (d.compareTo(limits.maxDelay()) > 0) {
            errors.add(new FieldError("delay", "must be at most " + Durations.format(limits.maxDelay()) + ", the maximum delay"));
            return null;
        }
        return d;
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
