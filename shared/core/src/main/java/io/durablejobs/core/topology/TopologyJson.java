package io.durablejobs.core.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;


/**
 * The topology as JSON, for the deploy-time declare step and for infra (Terraform reads it with
 * {@code jsondecode(file(...))}, CDK with Jackson). Stable key order so a regenerated file diffs cleanly.
 */
public final class TopologyJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TopologyJson() {
    }

    public static ObjectNode toJson(Topology t) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("namespace", t.namespace());
        root.put("queueType", t.queueType().wire());
        root.put("deliveryLimit", t.deliveryLimit());
        ArrayNode ex = root.putArray("exchanges");
        for (ExchangeSpec e : t.exchanges()) {
            ex.addObject().put("name", e.name()).put("type", e.kind());
        }
        ArrayNode qs = root.putArray("queues");
        for (QueueSpec q : t.queues()) {
            ObjectNode qn = qs.addObject();
            qn.put("name", q.name());
            qn.put("role", q.role().name().toLowerCase(Locale.ROOT));
            if (q.jobType() != null) {
                qn.put("jobType", q.jobType());
            }
            qn.set("arguments", MAPPER.valueToTree(new TreeMap<>(q.arguments())));
            ArrayNode bs = qn.putArray("bindings");
            for (BindingSpec b : q.bindings()) {
                ObjectNode bn = bs.addObject().put("exchange", b.exchange()).put("routingKey", b.routingKey());
                bn.set("arguments", MAPPER.valueToTree(new TreeMap<>(b.arguments())));
            }
        }
        return root;
    }

    public static String toPrettyString(Topology t) {
        try {
            return MAPPER.writeValueAsString(toJson(t)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }


    /** Exchanges and queues as read back from the JSON form (what the deploy step receives). */
    public record Declarations(String namespace, List<ExchangeSpec> exchanges, List<QueueSpec> queues) {
    }

    /** Reads the JSON form back; the deploy step declares exactly what infra passed (shard queues included). */
    public static Declarations parse(String json) {
        try {
            JsonNode root = MAPPER.readTree(json);
            List<ExchangeSpec> exchanges = new ArrayList<>();
            for (JsonNode e : root.path("exchanges")) {
                exchanges.add(new ExchangeSpec(required(e, "name"), required(e, "type")));
            }
            List<QueueSpec> queues = new ArrayList<>();
            for (JsonNode q : root.path("queues")) {
                List<BindingSpec> bindings = new ArrayList<>();
                for (JsonNode b : q.path("bindings")) {
                    bindings.add(new BindingSpec(required(b, "exchange"), b.path("routingKey").asText(""), arguments(b.path("arguments"))));
                }
                QueueSpec.Role role = QueueSpec.Role.valueOf(required(q, "role").toUpperCase(Locale.ROOT));
                queues.add(new QueueSpec(required(q, "name"), role, q.hasNonNull("jobType") ? q.get("jobType").asText() : null,
                        arguments(q.path("arguments")), bindings));
            }
            if (exchanges.isEmpty() || queues.isEmpty()) {
                throw new IllegalArgumentException("a topology needs exchanges and queues");
            }
            return new Declarations(required(root, "namespace"), exchanges, queues);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("topology is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String required(JsonNode n, String field) {
        if (!n.hasNonNull(field) || n.get(field).asText().isEmpty()) {
            throw new IllegalArgumentException("topology: missing " + field);
        }
        return n.get(field).asText();
    }

    private static Map<String, Object> arguments(JsonNode args) {
        Map<String, Object> out = new LinkedHashMap<>();
        args.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isIntegralNumber() ? (Object) v.asLong() : v.isBoolean() ? (Object) v.asBoolean() : v.asText());
        });
        return out;
    }
}
