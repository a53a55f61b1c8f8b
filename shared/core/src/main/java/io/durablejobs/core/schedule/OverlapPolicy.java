package io.durablejobs.core.schedule;

import java.util.Arrays;
import java.util.Optional;

/** What a tick does while the job of the previous tick is still in flight (queued, running or retrying). */
public enum OverlapPolicy {
    /** The tick passes without a job: at most one run of the schedule at a time. */
    SKIP("skip"),
    /** The tick enqueues its job regardless. */
    ALLOW("allow");

    private final String wire;

    OverlapPolicy(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<OverlapPolicy> fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(value)).findFirst();
    }
}
