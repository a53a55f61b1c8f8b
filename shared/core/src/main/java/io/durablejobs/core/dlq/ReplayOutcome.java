package io.durablejobs.core.dlq;

/** How a replay or discard of one dead letter ended. */
public sealed interface ReplayOutcome {

    record Replayed(String jobId, int generation) implements ReplayOutcome {
    }

    /** No dead letter of this tenant by that id (another tenant's is the same: 404). */
    record NotFound() implements ReplayOutcome {
    }

    /** The job is not dead (already replayed, running, succeeded) or its message was not a job: 409. */
    record NotDead(String why) implements ReplayOutcome {
    }

    /** The broker did not confirm the replayed message; nothing changed: 503. */
    record NotPublished(String why) implements ReplayOutcome {
    }
}
