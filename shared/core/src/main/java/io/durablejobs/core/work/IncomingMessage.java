package io.durablejobs.core.work;

import java.util.Map;

/**
 * One delivered message, decoded from the event-source mapping's event: header strings already turned
 * from {"bytes": [...]} into {@link String}, numbers as {@link Number}.
 */
public record IncomingMessage(String queue, byte[] body, Map<String, Object> headers, String messageId, boolean redelivered) {
    public IncomingMessage {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public String header(String name) {
        Object v = headers.get(name);
        return v == null ? null : v.toString();
    }

    public int intHeader(String name, int fallback) {
        Object v = headers.get(name);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v != null) {
            try {
                return Integer.parseInt(v.toString().trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }
}
