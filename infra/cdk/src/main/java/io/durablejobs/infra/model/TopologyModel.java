package io.durablejobs.infra.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * infra/topology.json, generated from the runtime's {@code io.durablejobs.core.topology.Topology}. Infra reads
 * it rather than restating queue names, so a new job type or retry tier reaches CDK and Terraform by
 * regenerating one file.
 */
public record TopologyModel(String namespace, String queueType, int deliveryLimit, JsonNode raw, List<Queue> queues) {

    public record Queue(String name, String role, String jobType, JsonNode json) {
    }

    public static TopologyModel parse(JsonNode root) {
        List<Queue> qs = new ArrayList<>();
        for (JsonNode q : root.path("queues")) {
            qs.add(new Queue(q.path("name").asText(), q.path("role").asText(),
                    q.hasNonNull("jobType") ? q.get("jobType").asText() : null, q));
        }
        return new TopologyModel(root.path("namespace").asText(), root.path("queueType").asText("quorum"),
                root.path("deliveryLimit").asInt(5), root, List.copyOf(qs));
    }

    public Queue workQueue(String jobType) {
        return queues.stream().filter(q -> "work".equals(q.role()) && jobType.equals(q.jobType())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("topology.json has no work queue for job type '"
                        + jobType + "' (regenerate it after registering the type)"));
    }

    public Queue queueWithRole(String role) {
        List<Queue> matches = queues.stream().filter(q -> role.equals(q.role())).toList();
        if (matches.size() != 1) {
            throw new IllegalArgumentException("topology.json has " + matches.size() + " queues with role '" + role
                    + "'; a queue trigger by role needs exactly one");
        }
        return matches.get(0);
    }

    /** Retry tier labels in topology order ("1s,5s,..."), the format of JOBS_RETRY_TIERS. */
    public String retryTiers() {
        String prefix = namespace + ".retry.";
        return String.join(",", queues.stream().filter(q -> "retry".equals(q.role()))
                .map(q -> q.name().substring(prefix.length())).toList());
    }
}
