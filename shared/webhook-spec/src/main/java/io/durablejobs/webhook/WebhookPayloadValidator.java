package io.durablejobs.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.webhook.ssrf.IpLiteral;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The submit-time rules of a {@code webhook.deliver} payload. Pure and needs no settings: the submit
 * function runs it for every request. Where the target may resolve to is checked at delivery time
 * ({@link io.durablejobs.webhook.ssrf.GuardedDnsResolver}), since only then is the answer the one
 * connected to.
 */
final class WebhookPayloadValidator {
    static final int MAX_URL_LENGTH = 2048;
    private static final Set<String> FIELDS = Set.of("url", "body", "headers");

    private WebhookPayloadValidator() {
    }

    static List<FieldError> validate(JsonNode payload) {
        List<FieldError> errors = new ArrayList<>();
        if (payload == null || !payload.isObject()) {
            errors.add(new FieldError("payload", "must be a JSON object"));
            return errors;
        }
        for (Map.Entry<String, JsonNode> field : payload.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                errors.add(new FieldError(field.getKey(), "unknown field (allowed: url, body, headers)"));
            }
        }
        url(payload.get("url"), errors);
        body(payload.get("body"), errors);
        headers(payload.get("headers"), errors);
        return errors;
    }

    private static void url(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("url", "is required"));
            return;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError("url", "must be a string"));
            return;
        }
        String problem = urlProblem(node.textValue());
        if (problem != null) {
            errors.add(new FieldError("url", problem));
        }
    }

    /** Why {@code text} is not an acceptable webhook URL, or null. */
    static String urlProblem(String text) {
        if (text.length() > MAX_URL_LENGTH) {
            return "at most " + MAX_URL_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return "not a valid URI: " + e.getReason();
        }
        if (!uri.isAbsolute() || uri.isOpaque()) {
            return "must be an absolute http or https URL";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "scheme must be http or https";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain user information (credentials belong in headers)";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must have a valid host";
        }
        if (IpLiteral.isNonCanonicalIpv4(uri.getHost())) {
            return "host must be a name or an IPv4 address in plain dotted decimal (clients read forms like 0177.0.0.1, 0x7f.1 or 127.1 differently)";
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            return "port must be between 1 and 65535";
        }
        if (uri.getRawFragment() != null) {
            return "must not have a fragment";
        }
        return null;
    }

    private static void body(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError("body", "is required"));
        } else if (!node.isTextual() && !node.isObject() && !node.isArray()) {
            errors.add(new FieldError("body", "must be a string (sent as is) or a JSON object or array (sent as JSON)"));
        }
    }

    private static void headers(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("headers", "must be an object of header names to string values"));
            return;
        }
        if (node.size() > HeaderRules.MAX_HEADERS) {
            errors.add(new FieldError("headers", "at most " + HeaderRules.MAX_HEADERS + " headers"));
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            String field = "headers." + clip(name);
            String nameProblem = HeaderRules.nameProblem(name);
            if (nameProblem != null) {
                errors.add(new FieldError(field, nameProblem));
                continue;
            }
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                errors.add(new FieldError(field, "duplicate header (names are case-insensitive)"));
                continue;
            }
            if (!e.getValue().isTextual()) {
                errors.add(new FieldError(field, "must be a string"));
                continue;
            }
            String valueProblem = HeaderRules.valueProblem(e.getValue().textValue());
            if (valueProblem != null) {
                errors.add(new FieldError(field, valueProblem));
            }
        }
    }

    /** Keeps a hostile header name from making the error itself unreadable. */
    private static String clip(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && i < 64; i++) {
            char c = name.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return name.length() > 64 ? sb + "..." : sb.toString();
    }
}
