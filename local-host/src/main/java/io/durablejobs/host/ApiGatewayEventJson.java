package io.durablejobs.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private ApiGatewayEventJson() {
    }

    static ObjectNode build(ApiGatewayRequest r, String requestId, String traceId) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", "$default");
        e.put("rawPath", r.rawPath());
        e.put("rawQueryString", r.rawQuery() == null ? "" : r.rawQuery());

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
            headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
        });
        String sourceIp = r.remote().getAddress().getHostAddress();
        headers.putIfAbsent("x-forwarded-for", sourceIp);
        headers.putIfAbsent("x-forwarded-port", Integer.toString(r.localPort()));
        headers.putIfAbsent("x-forwarded-proto", "http");
        headers.put("x-amzn-trace-id", traceId);
        if (!cookies.isEmpty()) {
            ArrayNode c = e.putArray("cookies");
            cookies.forEach(c::add);
        }
        ObjectNode h = e.putObject("headers");
        headers.forEach(h::put);

        Map<String, String> query = queryParameters(r.rawQuery());
        if (!query.isEmpty()) {
            ObjectNode q = e.putObject("queryStringParameters");
            query.forEach(q::put);
        }

        String host = headers.getOrDefault("host", "127.0.0.1");
        String domain = host.contains(":") && !host.startsWith("[") ? host.substring(0, host.indexOf(':')) : host;
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("accountId", HostContext.ACCOUNT);
        ctx.put("apiId", API_ID);
        ctx.put("domainName", domain);
        ctx.put("domainPrefix", domain.contains(".") ? domain.substring(0, domain.indexOf('.')) : domain);
        ObjectNode http = ctx.putObject("http");
        http.put("method", r.method());
        http.put("path", r.rawPath());
        http.put("protocol", r.protocol());
        http.put("sourceIp", sourceIp);
        http.put("userAgent", headers.getOrDefault("user-agent", ""));
        ctx.put("requestId", requestId);
        ctx.put("routeKey", "$default");
        ctx.put("stage", "$default");
        ctx.put("time", TIME.format(r.received()));
        ctx.put("timeEpoch", r.received().toEpochMilli());

        if (r.body().length > 0) {
            // A "text" body that is not valid UTF-8 cannot be a JSON string without replacing bytes, which would
            // turn a broken request into a different, valid one: it goes base64-encoded, so the function sees
            // exactly what the client sent (and refuses it). AWS does not document this case.
            boolean text = isText(headers.get("content-type")) && isUtf8(r.body());
            e.put("body", text ? new String(r.body(), StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(r.body()));
            e.put("isBase64Encoded", !text);
        } else {
            e.put("isBase64Encoded", false);
        }
        return e;
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
