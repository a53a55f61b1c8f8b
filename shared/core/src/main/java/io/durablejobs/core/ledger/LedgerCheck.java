package io.durablejobs.core.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Checks the ledger against itself and against the broker. Each tenant's counters must balance
 * ({@code accepted = succeeded + dead_lettered + cancelled + in_flight}, no negative in-flight), and the jobs in flight
 * must match the messages waiting in the work and retry queues: every accepted, unfinished job is exactly
 * one message there (or one being worked on). Both drift for moments (a batch in a function's hands, a
 * count written just after its status), so only a difference that persists for {@code grace} is reported
 * as the mismatch ({@code LedgerMismatch}, which infra alarms on); until then it reads 0.
 *
 * <p>One instance per execution environment; it remembers since when a difference has been seen.
 */
public final class LedgerCheck {
    private final Ledger ledger;
    private final LongSupplier queuedMessages;
    private final Duration grace;
    private final Clock clock;
    private Instant firstSeen;

    /** @param queuedMessages messages in the work and retry queues, or -1 when unknown (then only the counters are checked) */
    public LedgerCheck(Ledger ledger, LongSupplier queuedMessages, Duration grace, Clock clock) {
        this.ledger = ledger;
        this.queuedMessages = queuedMessages;
        this.grace = grace;
        this.clock = clock;
    }

    /** {@code difference}: what is off now; {@code mismatch}: the same once it has persisted for the grace period, else 0. */
    public record Result(long inFlight, long queued, long difference, long mismatch) {
    }

    public synchronized Result run() {
        long inFlight = 0;
        long difference = 0;
        for (String tenant : ledger.tenants()) {
            LedgerCounts c = ledger.read(tenant);
            inFlight += c.inFlight();
            difference += Math.abs(c.imbalance()) + Math.max(0, -c.inFlight());
        }
        long queued = queuedMessages.getAsLong();
        if (queued >= 0) {
            difference += Math.abs(inFlight - queued);
        }
        Instant now = clock.instant();
        if (difference == 0) {
            firstSeen = null;
            return new Result(inFlight, queued, 0, 0);
        }
        if (firstSeen == null) {
            firstSeen = now;
        }
        boolean persisting = !now.isBefore(firstSeen.plus(grace));
        return new Result(inFlight, queued, difference, persisting ? difference : 0);
    }
}
