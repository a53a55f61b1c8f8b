package io.durablejobs.core.schedule;

import java.util.Arrays;
import java.util.Optional;

/**
 * What happens to ticks that passed while nothing ran the scheduler (the platform was down, or the
 * scheduler function failed): a tick is missed when the scheduler sees it later than the grace period.
 */
public enum MissedTickPolicy {
    /** However many ticks were missed, one job runs for them (for the latest), then the schedule goes on. */
    RUN_ONCE("run_once"),
    /** Missed ticks are dropped; the schedule goes on from the next tick. */
    SKIP("skip");

    private final String wire;

    MissedTickPolicy(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<MissedTickPolicy> fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(value)).findFirst();
    }
}
