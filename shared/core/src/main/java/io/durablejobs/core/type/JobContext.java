package io.durablejobs.core.type;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * What a handler gets: the job, which attempt this is (1-based), the instant by which it must return,
 * derived from the function's remaining time, and whether its tenant asked it to stop.
 */
public record JobContext(String jobId, String tenant, String type, JsonNode payload, int attempt, Instant deadline,
                         BooleanSupplier cancellation) {

    public JobContext(String jobId, String tenant, String type, JsonNode payload, int attempt, Instant deadline) {
        this(jobId, tenant, type, payload, attempt, deadline, () -> false);
    }

    /**
     * Whether the job's tenant asked to cancel it while it runs ({@code POST /v1/jobs/{id}/cancel}).
     * Cancellation is cooperative: a long handler checks this between steps and, when it is true, stops
     * and returns any outcome but {@code Succeeded}; the job then ends {@code cancelled} (not retried, not
     * dead-lettered). Cheap to call often: the answer is read from the store at most about once a second.
     */
    public boolean cancellationRequested() {
        return cancellation.getAsBoolean();
    }

    public Duration remaining(Instant now) {
        Duration left = Duration.between(now, deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
