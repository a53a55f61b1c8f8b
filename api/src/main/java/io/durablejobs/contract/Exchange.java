package io.durablejobs.contract;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request and the response it got, as seen on the wire. Header names compare case-insensitively.
 *
 * @param rawQuery the query string as sent (percent-encoded), or null
 */
public record Exchange(String method, String path, String rawQuery, Map<String, List<String>> requestHeaders, byte[] requestBody,
                       int status, Map<String, List<String>> responseHeaders, byte[] responseBody) {
    public Exchange {
        requestHeaders = caseInsensitive(requestHeaders);
        responseHeaders = caseInsensitive(responseHeaders);
        requestBody = requestBody == null ? new byte[0] : requestBody;
        responseBody = responseBody == null ? new byte[0] : responseBody;
    }

    private static Map<String, List<String>> caseInsensitive(Map<String, List<String>> headers) {
        Map<String, List<String>> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k != null) {
                    m.put(k, List.copyOf(v));
                }
            });
        }
        return m;
    }

    public String describe() {
        return method + " " + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery) + " -> " + status;
    }
}
