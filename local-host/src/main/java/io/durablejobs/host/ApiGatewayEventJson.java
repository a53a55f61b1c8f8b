package io.durablejobs.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the event JSON API Gateway (HTTP API, payload format 2.0, route {@code $default}) sends to
 * Lambda: lower-cased headers with repeated ones comma-joined, cookies split out of the {@code cookie}
 * header, query parameters decoded and comma-joined, no {@code pathParameters} (the default route has
 * none), and a base64 body for anything that is not text.
 */
final class ApiGatewayEventJson {
    static final String API_ID = "local";
    /** Buffers from a shared pool: the event is built on a virtual thread that lives for one request. */
    static final ObjectMapper JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool()).build());
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private ApiGatewayEventJson() {
    }

    /** The event as a tree (tests read it so); the same bytes {@link #bytes} writes. */
    static ObjectNode build(ApiGatewayRequest r, String requestId, String traceId) {
        try {
            return (ObjectNode) JSON.readTree(bytes(r, requestId, traceId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The event's JSON, written field by field with Jackson's streaming generator: no tree is built and
     * copied for each request (the tree cost as much as the rest of the host's work on a small submit).
     */
    static byte[] bytes(ApiGatewayRequest r, String requestId, String traceId) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        r.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                for (String v : values) {
                    for (String c : v.split(";")) {
                        if (!c.isBlank()) {
                            cookies.add(c.trim());
                        }
                    }
                }
                return;
            }
            headers.merge(lower, values.size() == 1 ? values.get(0) : String.join(",", values), (a, b) -> a + "," + b);
        });
        String sourceIp = r.remote().getAddress().getHostAddress();
        headers.putIfAbsent("x-forwarded-for", sourceIp);
        headers.putIfAbsent("x-forwarded-port", Integer.toString(r.localPort()));
        headers.putIfAbsent("x-forwarded-proto", "http");
        headers.put("x-amzn-trace-id", traceId);
        Map<String, String> query = queryParameters(r.rawQuery());
        String host = headers.getOrDefault("host", "127.0.0.1");
        String domain = host.contains(":") && !host.startsWith("[") ? host.substring(0, host.indexOf(':')) : host;

        ByteArrayOutputStream out = new ByteArrayOutputStream(1024 + r.body().length * 4 / 3);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("version", "2.0");
            g.writeStringField("routeKey", "$default");
            g.writeStringField("rawPath", r.rawPath());
            g.writeStringField("rawQueryString", r.rawQuery() == null ? "" : r.rawQuery());
            if (!cookies.isEmpty()) {
                g.writeArrayFieldStart("cookies");
                for (String c : cookies) {
                    g.writeString(c);
                }
                g.writeEndArray();
            }
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                g.writeStringField(h.getKey(), h.getValue());
            }
            g.writeEndObject();
            if (!query.isEmpty()) {
                g.writeObjectFieldStart("queryStringParameters");
                for (Map.Entry<String, String> q : query.entrySet()) {
                    g.writeStringField(q.getKey(), q.getValue());
                }
                g.writeEndObject();
            }
            g.writeObjectFieldStart("requestContext");
            g.writeStringField("accountId", HostContext.ACCOUNT);
            g.writeStringField("apiId", API_ID);
            g.writeStringField("domainName", domain);
            g.writeStringField("domainPrefix", domain.contains(".") ? domain.substring(0, domain.indexOf('.')) : domain);
            g.writeObjectFieldStart("http");
            g.writeStringField("method", r.method());
            g.writeStringField("path", r.rawPath());
            g.writeStringField("protocol", r.protocol());
            g.writeStringField("sourceIp", sourceIp);
            g.writeStringField("userAgent", headers.getOrDefault("user-agent", ""));
            g.writeEndObject();
            g.writeStringField("requestId", requestId);
            g.writeStringField("routeKey", "$default");
            g.writeStringField("stage", "$default");
            g.writeStringField("time", time(r.received()));
            g.writeNumberField("timeEpoch", r.received().toEpochMilli());
            g.writeEndObject();
            if (r.body().length > 0) {
                // A "text" body that is not valid UTF-8 cannot be a JSON string without replacing bytes, which would
                // turn a broken request into a different, valid one: it goes base64-encoded, so the function sees
                // exactly what the client sent (and refuses it). AWS does not document this case.
                boolean text = isText(headers.get("content-type")) && isUtf8(r.body());
                g.writeStringField("body", text ? new String(r.body(), StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(r.body()));
                g.writeBooleanField("isBase64Encoded", !text);
            } else {
                g.writeBooleanField("isBase64Encoded", false);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /** The last second formatted: requests in the same second share its text (formatting cost more than the rest of the event). */
    private record FormattedSecond(long epochSecond, String text) {
    }

    private static volatile FormattedSecond lastTime = new FormattedSecond(Long.MIN_VALUE, "");

    /** {@code requestContext.time}: whole seconds, so the text depends on the second alone. */
    static String time(java.time.Instant at) {
        FormattedSecond last = lastTime;
        if (last.epochSecond() == at.getEpochSecond()) {
            return last.text();
        }
        FormattedSecond next = new FormattedSecond(at.getEpochSecond(), TIME.format(at));
        lastTime = next;
        return next.text();
    }

    static boolean isUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** API Gateway's rule: text media types arrive as text, everything else (and no type) as base64. */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        t = (semi < 0 ? t : t.substring(0, semi)).trim();
        return t.startsWith("text/") || t.equals("application/json") || t.endsWith("+json")
                || t.equals("application/xml") || t.endsWith("+xml") || t.equals("application/javascript");
    }

    static Map<String, String> queryParameters(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.merge(k, v, (a, b) -> a + "," + b);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // API Gateway passes malformed escapes through rather than failing the request
        }
    }
}
