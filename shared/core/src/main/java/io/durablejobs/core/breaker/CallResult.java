package io.durablejobs.core.breaker;

import java.time.Duration;

/** How a permitted call went: failed or not, and how long it took (slow calls count apart). */
public record CallResult(boolean failed, Duration duration) {
}
