package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/dlq/{jobId}}: one dead letter with its payload, the failures of its attempts, and earlier deaths.
 * {@code callbackUrl} is where a replay's outcome will be called back; null when the job had none.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeadLetter(String jobId, String type, String reason, int attempts, String lastError, Instant deadLetteredAt, String state,
                         String origin, String sourceQueue, String traceId, int generation, JsonNode payload, List<Failure> history,
                         List<Death> previous, String callbackUrl) {
    public DeadLetter {
        history = history == null ? List.of() : List.copyOf(history);
        previous = previous == null ? List.of() : List.copyOf(previous);
    }

    /** One failed attempt. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Failure(int attempt, String at, String reason, String error) {
    }

    /** An earlier death of the same job, before a replay. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Death(String deadLetteredAt, String reason, int attempts, String replayedAt, String replayedBy) {
    }
}
