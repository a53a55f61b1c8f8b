package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A {@code 202} from {@code POST /v1/jobs}: the broker confirmed the job. {@code replayed} is true when the
 * API answered a request it had already accepted under the same Idempotency-Key ({@code Idempotent-Replayed}).
 * {@code runAt} is when a delayed job (status {@code scheduled}) is due; null for a job that runs now.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobAccepted(String jobId, String type, JobStatus status, Instant createdAt, Instant runAt, String idempotencyKey,
                          boolean replayed) {
}
