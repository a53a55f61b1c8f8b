package io.durablejobs.core.breaker;

/** A state change of one breaker, emitted as a log line and a metric. {@code source} is redis or local. */
public record BreakerTransition(String breaker, BreakerState from, BreakerState to, long generation, String source) {
}
