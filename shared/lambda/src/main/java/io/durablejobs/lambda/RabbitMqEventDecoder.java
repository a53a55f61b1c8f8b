package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.durablejobs.core.work.IncomingMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the RabbitMQ event-source mapping's event exactly as AWS delivers it: the body in base64
 * {@code data}, string (longstr) header values as {@code {"bytes": [...]}}, numbers as numbers, and the
 * key {@code queue::vhost}.
 */
public final class RabbitMqEventDecoder {
    private RabbitMqEventDecoder() {
    }

    public static List<IncomingMessage> decode(RabbitMQEvent event) {
        List<IncomingMessage> out = new ArrayList<>();
        if (event == null || event.getRmqMessagesByQueue() == null) {
            return out;
        }
        for (Map.Entry<String, List<RabbitMQEvent.RabbitMessage>> e : event.getRmqMessagesByQueue().entrySet()) {
            String queue = queueName(e.getKey());
            for (RabbitMQEvent.RabbitMessage m : e.getValue()) {
                byte[] body = m.getData() == null ? new byte[0] : Base64.getMimeDecoder().decode(m.getData());
                RabbitMQEvent.BasicProperties p = m.getBasicProperties();
                Map<String, Object> headers = p == null ? Map.of() : headers(p.getHeaders());
                String messageId = p == null ? null : p.getMessageId();
                out.add(new IncomingMessage(queue, body, headers, messageId, m.getRedelivered()));
            }
        }
        return out;
    }

    /** {@code jobs.webhook.deliver::/} becomes {@code jobs.webhook.deliver}. */
    static String queueName(String key) {
        int sep = key.lastIndexOf("::");
        return sep < 0 ? key : key.substring(0, sep);
    }

    static Map<String, Object> headers(Map<String, Object> raw) {
        Map<String, Object> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        raw.forEach((k, v) -> {
            Object value = value(v);
            if (value != null) {
                out.put(k, value);
            }
        });
        return out;
    }

    private static Object value(Object v) {
        if (v instanceof Map<?, ?> map) {
            Object bytes = map.get("bytes");
            if (bytes instanceof List<?> list) {
                byte[] b = new byte[list.size()];
                for (int i = 0; i < b.length; i++) {
                    // AWS writes byte values as numbers; accept signed (-128..127) and unsigned (0..255).
                    b[i] = (byte) ((Number) list.get(i)).intValue();
                }
                return new String(b, StandardCharsets.UTF_8);
            }
            Map<String, Object> nested = new HashMap<>();
            map.forEach((k, nv) -> nested.put(String.valueOf(k), value(nv)));
            return nested;
        }
        if (v instanceof List<?> list) {
            return list.stream().map(RabbitMqEventDecoder::value).toList();
        }
        return v;
    }
}
