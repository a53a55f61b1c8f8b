package io.durablejobs.core.api;

import java.util.Map;

/** An HTTP request as the API sees it, whatever carried it (API Gateway event or test). Header names are lower case. */
public record ApiRequest(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body, String requestId) {
    public ApiRequest {
        query = query == null ? Map.of() : Map.copyOf(query);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }
}
