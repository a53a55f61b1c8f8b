package io.durablejobs.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.LongString;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * AMQP field-table values as the event-source mapping renders them. amqp-client reads every string header
 * as a {@link LongString}, which the mapping serializes field by field: {@code {"bytes": [...]}} with Java's
 * signed byte values (so a UTF-8 byte 0xC3 is -61; ASCII is the same either way). Numbers stay numbers,
 * booleans booleans, timestamps dates, tables objects and arrays arrays, recursively; a raw byte array
 * (field type {@code x}) is a plain array of signed bytes.
 */
final class AmqpValueJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AmqpValueJson() {
    }

    static JsonNode table(Map<String, Object> table) {
        if (table == null) {
            return F.nullNode();
        }
        ObjectNode o = F.objectNode();
        table.forEach((k, v) -> o.set(k, value(v)));
        return o;
    }

    static JsonNode value(Object v) {
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof LongString s) {
            return bytesObject(s.getBytes());
        }
        if (v instanceof String s) {
            return bytesObject(s.getBytes(StandardCharsets.UTF_8));
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof Byte n) {
            return F.numberNode(n);
        }
        if (v instanceof Short n) {
            return F.numberNode(n);
        }
        if (v instanceof Integer n) {
            return F.numberNode(n);
        }
        if (v instanceof Long n) {
            return F.numberNode(n);
        }
        if (v instanceof Float n) {
            return F.numberNode(n);
        }
        if (v instanceof Double n) {
            return F.numberNode(n);
        }
        if (v instanceof BigDecimal n) {
            return F.numberNode(n);
        }
        if (v instanceof Date d) {
            return F.textNode(AwsDates.format(d));
        }
        if (v instanceof byte[] bytes) {
            return signedBytes(bytes);
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
            return o;
        }
        if (v instanceof List<?> list) {
            ArrayNode a = F.arrayNode();
            list.forEach(x -> a.add(value(x)));
            return a;
        }
        if (v instanceof Object[] array) {
            ArrayNode a = F.arrayNode();
            for (Object x : array) {
                a.add(value(x));
            }
            return a;
        }
        return F.textNode(v.toString());
    }

    private static ObjectNode bytesObject(byte[] bytes) {
        ObjectNode o = F.objectNode();
        o.set("bytes", signedBytes(bytes));
        return o;
    }

    private static ArrayNode signedBytes(byte[] bytes) {
        ArrayNode a = F.arrayNode(bytes.length);
        for (byte b : bytes) {
            a.add(b);
        }
        return a;
    }
}
