package io.durablejobs.core.type;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * What a handler gets: the job, which attempt this is (1-based), the instant by which it must return,
 * derived from the function's remaining time, and whether its tenant asked it to stop.
 */
public record JobContext(String jobId, String tenant, String type, JsonNode payload, int attempt, Instant deadline,
                         RunControl control) {

    public JobContext(String jobId, String tenant, String type, JsonNode payload, int attempt, Instant deadline) {
        this(jobId, tenant, type, payload, attempt, deadline, RunControl.NONE);
    }

    /**
     * Whether the job's tenant asked to cancel it while it runs ({@code POST /v1/jobs/{id}/cancel}).
     * Cancellation is cooperative: a long handler checks this between steps and, when it is true, stops
     * and returns any outcome but {@code Succeeded}; the job then ends {@code cancelled} (not retried, not
     * dead-lettered). Cheap to call often: the answer is read from the store at most about once a second.
     */
    public boolean cancellationRequested() {
        return control.cancellationRequested();
    }

    /**
     * Reports how far the job is: {@code percent} 0-100 and a short {@code message} (at most 200 characters
     * are kept), shown by {@code GET /v1/jobs/{jobId}} while it runs and after. Cheap to call often: the
     * store is written at most about once a second, and always for 100.
     *
     * @throws IllegalArgumentException when {@code percent} is outside 0-100
     */
    public void progress(int percent, String message) {
        control.progress(percent, message);
    }

    public Duration remaining(Instant now) {
        Duration left = Duration.between(now, deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
