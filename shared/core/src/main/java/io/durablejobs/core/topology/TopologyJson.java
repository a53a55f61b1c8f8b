package io.durablejobs.core.topology;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


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
            qn.put("role", q.role().name().toLowerCase(java.util.Locale.ROOT));
            if (q.jobType() != null) {
                qn.put("jobType", q.jobType());
            }
            qn.set("arguments", MAPPER.valueToTree(new java.util.TreeMap<>(q.arguments())));
            ArrayNode bs = qn.putArray("bindings");
            for (BindingSpec b : q.bindings()) {
                ObjectNode bn = bs.addObject().put("exchange", b.exchange()).put("routingKey", b.routingKey());
                bn.set("arguments", MAPPER.valueToTree(new java.util.TreeMap<>(b.arguments())));
            }
        }
        return root;
    }

    public static String toPrettyString(Topology t) {
        try {
            return MAPPER.writeValueAsString(toJson(t)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
