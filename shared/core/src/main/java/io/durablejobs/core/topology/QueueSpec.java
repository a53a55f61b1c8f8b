package io.durablejobs.core.topology;

import java.util.List;
import java.util.Map;

/**
 * A durable queue and what feeds it. {@code role} says what it is for (work, retry, dead, parked dead letters), and
 * {@code jobType} which type it carries (work queues only), so infra can attach one mapping per queue.
 */
public record QueueSpec(String name, Role role, String jobType, Map<String, Object> arguments, List<BindingSpec> bindings) {
    public enum Role { WORK, RETRY, DEAD, PARKED }

    public QueueSpec {
        arguments = Map.copyOf(arguments);
        bindings = List.copyOf(bindings);
    }
}
