package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** {@code GET /v1/jobs/{jobId}}: a job's status; {@code result} when it succeeded, {@code error} after a failure. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Job(String jobId, String type, JobStatus status, int attempts, Instant createdAt, Instant updatedAt, JsonNode result,
                  String error) {
}
