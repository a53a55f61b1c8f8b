package io.durablejobs.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A validated {@code webhook.deliver} payload, ready to send.
 *
 * @param url         the absolute http(s) target
 * @param body        the exact bytes to POST (and to sign)
 * @param contentType the {@code Content-Type} to send
 * @param headers     the caller's extra headers, in the order given, without {@code content-type}
 */
public record WebhookPayload(URI url, byte[] body, String contentType, Map<String, String> headers) {
    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=utf-8";

    public WebhookPayload {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** Every problem with {@code payload}; field names are relative to {@code payload}. */
    public static List<FieldError> validate(JsonNode payload) {
        return WebhookPayloadValidator.validate(payload);
    }

    /**
     * Reads a payload.
     *
     * @throws IllegalArgumentException listing the problems, when it is not valid
     */
    public static WebhookPayload from(JsonNode payload) {
        List<FieldError> errors = validate(payload);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors.stream()
                    .map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")));
        }
        JsonNode bodyNode = payload.get("body");
        byte[] body;
        String contentType;
        if (bodyNode.isTextual()) {
            body = bodyNode.textValue().getBytes(StandardCharsets.UTF_8);
            contentType = TEXT;
        } else {
            try {
                body = Json.MAPPER.writeValueAsBytes(bodyNode); // compact: no indentation
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("body: cannot be written as JSON");
            }
            contentType = JSON;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode headersNode = payload.get("headers");
        if (headersNode != null && headersNode.isObject()) {
            for (Map.Entry<String, JsonNode> e : headersNode.properties()) {
                if (e.getKey().toLowerCase(Locale.ROOT).equals(HeaderRules.CONTENT_TYPE)) {
                    contentType = e.getValue().textValue();
                } else {
                    headers.put(e.getKey(), e.getValue().textValue());
                }
            }
        }
        return new WebhookPayload(URI.create(payload.get("url").textValue()), body, contentType, headers);
    }

    /** The URL's host as the HTTP client wants it: IPv6 literals without brackets. */
    public String host() {
        String h = url.getHost();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    @Override
    public String toString() {
        // Never the body or header values: they may carry secrets of the tenant's.
        return "WebhookPayload[host=" + url.getHost() + ", bytes=" + body.length + ", headers=" + headers.keySet() + "]";
    }
}
