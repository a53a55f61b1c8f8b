package io.durablejobs.core.type;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * What a handler gets: the job, which attempt this is (1-based), and the instant by which it must
 * return, derived from the function's remaining time.
 */
public record JobContext(String jobId, String tenant, String type, JsonNode payload, int attempt, Instant deadline) {

    public Duration remaining(Instant now) {
        Duration left = Duration.between(now, deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
