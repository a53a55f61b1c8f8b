package io.durablejobs.core.port;

/**
 * The answer to "may this delivery run the job now?". Only {@link Claimed} runs the handler; its token
 * fences every later write, so a worker whose lease lapsed (a paused or partitioned one) cannot record
 * an outcome over a newer holder's.
 */
public sealed interface Claim {

    /**
     * Run it. {@code token} is the fencing token (strictly increasing per job); {@code generation} the job's
     * replay generation (0 until a dead letter is replayed), which the ledger counts by.
     */
    record Claimed(long token, int deliveries, int generation) implements Claim {
        public Claimed(long token, int deliveries) {
            this(token, deliveries, 0);
        }
    }

    /** The job already succeeded or was dead-lettered: acknowledge and skip. */
    record Finished() implements Claim {
    }

    /** This copy belongs to an attempt already handed on (a stale duplicate): acknowledge and skip. */
    record Stale() implements Claim {
    }

    /**
     * Another worker holds a live lease on this job. The delivery is not run, and not dropped either (its
     * holder may yet die): the worker defers it to a retry tier without spending an attempt.
     */
    record Busy(long leaseRemainingMillis) implements Claim {
    }

    /** This attempt was delivered more often than allowed (it crashes or times out its function): dead-letter it. */
    record Poison(int deliveries) implements Claim {
    }
}
