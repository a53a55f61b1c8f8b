package io.durablejobs.core.dlq;

/** AMQP headers a replayed job's message carries, so its next death and its ledger entries know its generation. */
public final class ReplayHeaders {
    /** How many times the job has been replayed (absent = 0). */
    public static final String GENERATION = "x-jobs-replay";
    /** The dead letter it is a replay of: {@code <jobId>@<deadLetteredAt>}. */
    public static final String REPLAY_OF = "x-jobs-replay-of";

    private ReplayHeaders() {
    }
}
