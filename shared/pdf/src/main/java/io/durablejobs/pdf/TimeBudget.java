package io.durablejobs.pdf;

import java.time.Duration;
import java.time.Instant;

/**
 * The job's deadline, checked cooperatively between lines, rows and blocks. A render that runs out of time
 * stops there and ends alone with {@code time_budget_exceeded}, instead of running past the function's
 * timeout and taking the other jobs of its batch down with it. Monotonic ({@link System#nanoTime}) once
 * started, so a wall-clock step cannot stretch or cut it.
 */
final class TimeBudget {
    private final long startNanos;
    private final long budgetNanos;

    private TimeBudget(long startNanos, long budgetNanos) {
        this.startNanos = startNanos;
        this.budgetNanos = budgetNanos;
    }

    static TimeBudget until(Instant deadline) {
        Duration left = Duration.between(Instant.now(), deadline);
        return new TimeBudget(System.nanoTime(), Math.max(0, left.toNanos()));
    }

    /** @throws Exceeded when the deadline has passed */
    void check(String doing) {
        long spent = System.nanoTime() - startNanos;
        if (spent > budgetNanos) {
            throw new Exceeded("ran out of the job's time budget of " + budgetNanos / 1_000_000 + " ms while " + doing);
        }
    }

    static final class Exceeded extends RuntimeException {
        Exceeded(String message) {
            super(message, null, false, false);
        }
    }
}
