package io.durablejobs.host;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP response API Gateway makes of a function's result (payload format 2.0): a JSON object with
 * {@code statusCode} is taken field by field; any other valid JSON is a 200 {@code application/json}
 * body (API Gateway's inferred format).
 */
record ApiGatewayResponse(int status, Map<String, List<String>> headers, byte[] body) {
    private static final ObjectMapper JSON = ApiGatewayEventJson.JSON;

    static ApiGatewayResponse fromFunctionResult(byte[] resultJson) throws IOException {
        ApiGatewayResponse streamed = streamed(resultJson);
        return streamed != null ? streamed : fromTree(resultJson);
    }

    /**
     * The usual result (an object with a numeric {@code statusCode}, string headers and cookies, a string or
     * null body) read with the streaming parser, as {@link #fromTree} would read it; null for anything else
     * (another shape, a repeated field, numbers as header values), which {@link #fromTree} then reads.
     * Building a tree of every result cost the host as much as building the event.
     */
    private static ApiGatewayResponse streamed(byte[] resultJson) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int status = -1;
        String body = null;
        boolean base64 = false;
        Set<String> seen = new HashSet<>();
        try (JsonParser p = JSON.getFactory().createParser(resultJson)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (!seen.add(name)) {
                    return null;
                }
                switch (name) {
                    case "statusCode" -> {
                        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
                            return null;
                        }
                        status = p.getIntValue();
                    }
                    case "headers" -> {
                        if (v != JsonToken.START_OBJECT) {
                            return null;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String h = p.currentName();
                            if (p.nextToken() != JsonToken.VALUE_STRING) {
                                return null;
                            }
                            add(headers, h, p.getText());
                        }
                    }
                    case "multiValueHeaders", "cookies" -> {
                        return null;
                    }
                    case "body" -> {
                        if (v == JsonToken.VALUE_STRING) {
                            body = p.getText();
                        } else if (v != JsonToken.VALUE_NULL) {
                            return null;
                        }
                    }
                    case "isBase64Encoded" -> {
                        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                            return null;
                        }
                        base64 = v == JsonToken.VALUE_TRUE;
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (status < 0) {
            return null;
        }
        byte[] bytes = body == null ? new byte[0] : base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        return new ApiGatewayResponse(status, headers, bytes);
    }

    /** Any result, read as a tree: what {@link #streamed} hands over, and what it is checked against. */
    static ApiGatewayResponse fromTree(byte[] resultJson) throws IOException {
        JsonNode out = JSON.readTree(resultJson);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (out == null || !out.isObject() || !out.has("statusCode")) {
            headers.put("content-type", List.of("application/json"));
            return new ApiGatewayResponse(200, headers, resultJson);
        }
        int status = out.get("statusCode").asInt(500);
        out.path("headers").fields().forEachRemaining(h -> add(headers, h.getKey(), h.getValue().asText()));
        out.path("multiValueHeaders").fields().forEachRemaining(h -> h.getValue().forEach(v -> add(headers, h.getKey(), v.asText())));
        out.path("cookies").forEach(c -> add(headers, "set-cookie", c.asText()));
        JsonNode bodyNode = out.get("body");
        byte[] body = new byte[0];
        if (bodyNode != null && !bodyNode.isNull()) {
            String text = bodyNode.isTextual() ? bodyNode.asText() : bodyNode.toString();
            body = out.path("isBase64Encoded").asBoolean(false)
                    ? Base64.getDecoder().decode(text)
                    : text.getBytes(StandardCharsets.UTF_8);
        }
        return new ApiGatewayResponse(status, headers, body);
    }

    private static void add(Map<String, List<String>> headers, String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    }

    /** API Gateway's own errors: {@code {"message": "..."}}. */
    static ApiGatewayResponse message(int status, String message) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/json"));
        return new ApiGatewayResponse(status, headers,
                ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static ApiGatewayResponse json(int status, String contentType, String body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of(contentType));
        return new ApiGatewayResponse(status, headers, body.getBytes(StandardCharsets.UTF_8));
    }
}
