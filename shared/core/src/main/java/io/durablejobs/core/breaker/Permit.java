package io.durablejobs.core.breaker;

import java.time.Duration;

/** May a call to a downstream go ahead? */
public sealed interface Permit {

    /**
     * Yes. {@code generation} identifies the breaker state the permit was issued in (a result recorded
     * under an older generation is ignored); {@code probeId} is set for a half-open probe.
     */
    record Allowed(String breaker, long generation, String probeId) implements Permit {
    }

    /** No: the breaker is open (or its half-open probes are all taken). Try again after {@code retryAfter}. */
    record Rejected(String breaker, BreakerState state, Duration retryAfter) implements Permit {
    }
}
