package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import io.durablejobs.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Maps API Gateway's HTTP API (payload format 2.0) event to the API's own request type, and back. */
public final class ApiGatewayMapping {
    /**
     * The event and response JSON read and written with the function's own Jackson, for the stream handler:
     * the runtime's POJO serializer is a second, relocated Jackson whose ~700 classes would load at the first
     * request (and after every SnapStart restore, since priming cannot reach it).
     */
    private static final ObjectMapper EVENTS = Json.MAPPER.copy()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    /** Built once: a reader and a writer bound to their types skip the per-call lookups of {@code readValue}/{@code writeValue}. */
    private static final ObjectReader EVENT_READER = EVENTS.readerFor(APIGatewayV2HTTPEvent.class);
    private static final ObjectWriter RESPONSE_WRITER = EVENTS.writerFor(APIGatewayV2HTTPResponse.class);

    private ApiGatewayMapping() {
    }

    /**
     * Builds the event reader and response writer (this class's initialisation: Jackson's own start-up and
     * the two types' (de)serializers, fetched eagerly) at init, where it overlaps the Redis connection's
     * handshake, instead of at the first request.
     */
    static void prepare() {
        // Empty: the call initialises the class, which is the work.
    }

    public static APIGatewayV2HTTPEvent readEvent(InputStream in) throws IOException {
        return EVENT_READER.readValue(in);
    }

    public static void writeResponse(APIGatewayV2HTTPResponse response, OutputStream out) throws IOException {
        RESPONSE_WRITER.writeValue(out, response);
    }

    public static ApiRequest toRequest(APIGatewayV2HTTPEvent e) {
        Map<String, String> headers = new HashMap<>();
        if (e.getHeaders() != null) {
            e.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        byte[] body = new byte[0];
        if (e.getBody() != null) {
            body = e.getIsBase64Encoded() ? Base64.getDecoder().decode(e.getBody()) : e.getBody().getBytes(StandardCharsets.UTF_8);
        }
        String method = null;
        String requestId = null;
        if (e.getRequestContext() != null) {
            requestId = e.getRequestContext().getRequestId();
            if (e.getRequestContext().getHttp() != null) {
                method = e.getRequestContext().getHttp().getMethod();
            }
        }
        Map<String, String> query = e.getQueryStringParameters() != null ? e.getQueryStringParameters() : parseQuery(e.getRawQueryString());
        return new ApiRequest(method, e.getRawPath(), query, headers, body, requestId);
    }

    public static APIGatewayV2HTTPResponse toResponse(ApiResponse r) {
        APIGatewayV2HTTPResponse out = new APIGatewayV2HTTPResponse();
        out.setStatusCode(r.status());
        out.setHeaders(new HashMap<>(r.headers()));
        // JSON and other text go as text; binary bodies (blobs served by /v1/blobs) as base64, as API Gateway wants.
        boolean text = isText(r.headers().get("Content-Type"));
        out.setBody(text ? r.bodyText() : Base64.getEncoder().encodeToString(r.body()));
        out.setIsBase64Encoded(!text);
        return out;
    }

    static boolean isText(String contentType) {
        if (contentType == null) {
            return true; // empty bodies (redirects, 204)
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.contains("json") || t.contains("xml");
    }

    static Map<String, String> parseQuery(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            // API Gateway joins repeated parameters with commas.
            q.merge(k, v, (a, b) -> a + "," + b);
        }
        return q;
    }
}
