package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A {@code 202} from {@code POST /v1/jobs}: the broker confirmed the job. {@code replayed} is true when the
 * API answered a request it had already accepted under the same Idempotency-Key ({@code Idempotent-Replayed}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobAccepted(String jobId, String type, JobStatus status, Instant createdAt, String idempotencyKey, boolean replayed) {
}
