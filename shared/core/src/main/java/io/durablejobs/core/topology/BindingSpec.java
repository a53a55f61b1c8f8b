package io.durablejobs.core.topology;

import java.util.Map;

/** Binds a queue to an exchange, with a routing key and (for headers exchanges) match arguments. */
public record BindingSpec(String exchange, String routingKey, Map<String, Object> arguments) {
    public BindingSpec {
        arguments = Map.copyOf(arguments);
    }
}
