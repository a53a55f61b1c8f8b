package io.durablejobs.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** An RFC 9457 problem document for errors the host answers itself (the HTTP layer, {@code /healthz}). */
final class Problem {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problem() {
    }

    static byte[] json(int status, String title, String detail) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", "about:blank");
        n.put("title", title);
        n.put("status", status);
        n.put("detail", detail);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }
}
