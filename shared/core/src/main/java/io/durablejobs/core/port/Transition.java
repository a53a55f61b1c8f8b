package io.durablejobs.core.port;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.job.JobStatus;

/**
 * A status change requested by the run of {@code attempt}. Stores apply it atomically only when the
 * change is legal ({@link io.durablejobs.core.job.JobTransitions}) and the attempt is current: newer than
 * the stored one, or the same one while it is still running. So a stale copy of an already handed-off
 * message cannot move the job.
 */
public record Transition(JobStatus to, int attempt, JsonNode result, String error) {
    public static Transition to(JobStatus status, int attempt) {
        return new Transition(status, attempt, null, null);
    }
}
