package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** One line of {@code GET /v1/dlq}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeadLetterSummary(String jobId, String type, String reason, int attempts, String lastError, Instant deadLetteredAt) {
}
