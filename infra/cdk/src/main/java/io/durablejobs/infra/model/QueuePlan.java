package io.durablejobs.infra.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which queue each event-source mapping consumes, and the topology the deploy step declares.
 *
 * <p>A RabbitMQ mapping reads exactly one queue and runs one concurrent environment, so a hot job type is
 * scaled by sharding it: with {@code "shards": N} in functions.json the type gets N queues and N mappings.
 * Shard 0 is the type's ordinary queue {@code <ns>.<type>} (routing key {@code <type>}); shards 1..N-1 are
 * {@code <ns>.<type>.<n>} bound with routing key {@code <type>.<n>} and the same arguments. Keeping shard 0
 * under the unsharded name means a publisher that does not spread yet still delivers everything to a
 * consumed queue; retries dead-letter back with their original routing key, so they return to their shard.
 */
public record QueuePlan(List<Mapping> mappings, JsonNode deployTopology) {

    public record Mapping(FunctionSpec function, String queue, int shard) {
    }

    public static QueuePlan of(TopologyModel topology, List<FunctionSpec> functions) {
        List<Mapping> mappings = new ArrayList<>();
        ObjectNode deploy = topology.raw().deepCopy();
        ArrayNode queues = (ArrayNode) deploy.withArray("queues");
        for (FunctionSpec f : functions) {
            if (!f.trigger().isQueue()) {
                continue;
            }
            TopologyModel.Queue base = f.trigger().jobType() != null
                    ? topology.workQueue(f.trigger().jobType())
                    : topology.queueWithRole(f.trigger().role());
            mappings.add(new Mapping(f, base.name(), 0));
            for (int n = 1; n < f.shards(); n++) {
                String name = base.name() + "." + n;
                mappings.add(new Mapping(f, name, n));
                queues.add(shardQueue(base, name, f.trigger().jobType() + "." + n, n));
            }
        }
        long distinct = mappings.stream().map(Mapping::queue).distinct().count();
        if (distinct != mappings.size()) {
            throw new IllegalArgumentException("two functions consume the same queue: " + mappings);
        }
        return new QueuePlan(List.copyOf(mappings), deploy);
    }

    private static ObjectNode shardQueue(TopologyModel.Queue base, String name, String routingKey, int shard) {
        ObjectNode q = base.json().deepCopy();
        q.put("name", name);
        q.put("shard", shard);
        for (JsonNode b : q.withArray("bindings")) {
            ((ObjectNode) b).put("routingKey", routingKey);
        }
        return q;
    }

    /**
     * The runtime's {@code JOBS_SHARDS}: {@code <jobType>=<N>} for every queue function with a jobType and
     * more than one shard, sorted by type, comma-separated (e.g. {@code webhook.deliver=4}); "" when nothing
     * is sharded. terraform/locals.tf computes the same string (jobs_shards).
     */
    public String jobsShards() {
        Map<String, Integer> sharded = new TreeMap<>();
        for (Mapping m : mappings) {
            FunctionSpec f = m.function();
            if (f.trigger().jobType() != null && f.shards() > 1) {
                sharded.put(f.trigger().jobType(), f.shards());
            }
        }
        return sharded.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /**
     * The job types with a worker, sorted: one pair of queue alarms each, and the DLQ consumer's
     * {@code JOBS_QUEUE_DEPTH_TYPES} (it reads their depth; a custom type need not be on its classpath).
     * terraform/monitoring.tf computes the same list (queue_types).
     */
    public List<String> workedTypes() {
        return mappings.stream().map(m -> m.function().trigger().jobType()).filter(t -> t != null).distinct().sorted().toList();
    }

    public List<Mapping> mappingsOf(FunctionSpec f) {
        return mappings.stream().filter(m -> m.function().name().equals(f.name())).toList();
    }
}
