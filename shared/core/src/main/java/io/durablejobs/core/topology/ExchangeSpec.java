package io.durablejobs.core.topology;

/** A durable exchange; {@code kind} is direct, fanout, topic or headers. */
public record ExchangeSpec(String name, String kind) {
}
