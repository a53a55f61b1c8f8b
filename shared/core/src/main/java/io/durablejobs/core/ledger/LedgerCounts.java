package io.durablejobs.core.ledger;

import java.util.Map;
import java.util.TreeMap;

/** One tenant's (or one type's) conservation counters. */
public record LedgerCounts(long accepted, long succeeded, long deadLettered, long cancelled, long inFlight, Map<String, LedgerCounts> byType) {
    public static final LedgerCounts ZERO = new LedgerCounts(0, 0, 0, 0, 0, Map.of());

    public LedgerCounts {
        byType = byType == null ? Map.of() : new TreeMap<>(byType);
    }

    /** Counters of a ledger without cancellations. */
    public LedgerCounts(long accepted, long succeeded, long deadLettered, long inFlight, Map<String, LedgerCounts> byType) {
        this(accepted, succeeded, deadLettered, 0, inFlight, byType);
    }

    /** {@code accepted - (succeeded + dead_lettered + cancelled + in_flight)}: zero when every job is accounted for. */
    public long imbalance() {
        return accepted - (succeeded + deadLettered + cancelled + inFlight);
    }

    public boolean balanced() {
        return imbalance() == 0 && inFlight >= 0 && byType.values().stream().allMatch(LedgerCounts::balanced);
    }
}
