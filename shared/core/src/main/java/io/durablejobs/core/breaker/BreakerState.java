package io.durablejobs.core.breaker;

import java.util.Locale;

/** resilience4j's states, as far as a cluster-wide breaker has them. */
public enum BreakerState {
    CLOSED, OPEN, HALF_OPEN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BreakerState parse(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
