package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

    /**
     * The API's request read straight from the event's JSON with Jackson's streaming parser: the same fields
     * {@link #toRequest} takes from an {@link APIGatewayV2HTTPEvent}, without binding the whole event (its
     * request context, authorizer, cookies and times) into beans first, which cost more than the API's own work
     * on a refused submit. Unknown fields are skipped, as the bound reader ignores them; what the bound reader
     * refuses (a non-object, trailing content, a body that is not a string) is refused here too.
     */
    public static ApiRequest readRequest(InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        Map<String, String> query = null;
        String rawQuery = null;
        String rawPath = null;
        String body = null;
        boolean base64 = false;
        String method = null;
        String requestId = null;
        try (JsonParser p = EVENTS.getFactory().createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "rawPath" -> rawPath = text(p, v);
                    case "rawQueryString" -> rawQuery = text(p, v);
                    case "body" -> body = text(p, v);
                    case "isBase64Encoded" -> base64 = v == JsonToken.VALUE_TRUE || (v == JsonToken.VALUE_STRING && Boolean.parseBoolean(p.getText()));
                    case "headers" -> strings(p, v, headers, true);
                    case "queryStringParameters" -> {
                        if (v != JsonToken.VALUE_NULL) {
                            query = new HashMap<>();
                            strings(p, v, query, false);
                        }
                    }
                    case "requestContext" -> {
                        if (v == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String field = p.currentName();
                                JsonToken cv = p.nextToken();
                                if (field.equals("requestId")) {
                                    requestId = text(p, cv);
                                } else if (field.equals("http") && cv == JsonToken.START_OBJECT) {
                                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                                        String hf = p.currentName();
                                        JsonToken hv = p.nextToken();
                                        if (hf.equals("method")) {
                                            method = text(p, hv);
                                        } else {
                                            p.skipChildren();
                                        }
                                    }
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else if (v != JsonToken.VALUE_NULL) {
                            throw new JsonParseException(p, "requestContext is not an object");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing content after the event");
            }
        }
        byte[] bytes = body == null ? new byte[0]
                : base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        return new ApiRequest(method, rawPath, query != null ? query : parseQuery(rawQuery), headers, bytes, requestId);
    }

    /**
     * The response API Gateway reads (payload format 2.0), written field by field: the same JSON
     * {@link #writeResponse(APIGatewayV2HTTPResponse, OutputStream)} writes for {@link #toResponse}'s result.
     */
    public static void writeResponse(ApiResponse r, OutputStream out) throws IOException {
        boolean text = isText(r.headers().get("Content-Type"));
        try (JsonGenerator g = EVENTS.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("statusCode", r.status());
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : r.headers().entrySet()) {
                g.writeStringField(h.getKey(), h.getValue());
            }
            g.writeEndObject();
            g.writeStringField("body", text ? r.bodyText() : Base64.getEncoder().encodeToString(r.body()));
            g.writeBooleanField("isBase64Encoded", !text);
            g.writeEndObject();
        }
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want) throws IOException {
        if (got != want) {
            throw new JsonParseException(p, "the event is not a JSON object");
        }
    }

    /** A string field as the bound reader takes it: strings and other scalars as text, null as null. */
    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v.isScalarValue()) {
            return p.getText();
        }
        throw new JsonParseException(p, "expected a string, got " + v);
    }

    /** An object of strings into {@code into}; header names lower-cased, null values left out. */
    private static void strings(JsonParser p, JsonToken v, Map<String, String> into, boolean lowerCaseNames) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_OBJECT) {
            throw new JsonParseException(p, "expected an object of strings, got " + v);
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            String value = text(p, p.nextToken());
            if (value != null) {
                into.put(lowerCaseNames ? k.toLowerCase(Locale.ROOT) : k, value);
            }
        }
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
