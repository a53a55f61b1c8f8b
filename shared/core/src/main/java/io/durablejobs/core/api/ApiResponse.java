package io.durablejobs.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response: status, headers, body bytes. */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, JsonNode body, Map<String, String> extraHeaders) {
        Map<String, String> h = new LinkedHashMap<>(extraHeaders);
        h.put("Content-Type", "application/json");
        h.putIfAbsent("Cache-Control", "no-store");
        return new ApiResponse(status, h, bytes(body));
    }

    static byte[] bytes(JsonNode body) {
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
