package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/jobs/{jobId}} (and each item of {@code GET /v1/jobs}): a job's status; {@code result} when it
 * succeeded, {@code error} after a failure, {@code runAt} for a delayed job, {@code progress} as its handler
 * last reported it, {@code nextAttemptAt} while it waits for a retry, {@code history} its failed attempts.
 * Fields the API leaves out are null (lists empty).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(String jobId, String type, JobStatus status, int attempts, Instant createdAt, Instant updatedAt, JsonNode result,
                  String error, Instant runAt, Boolean cancelRequested, Progress progress, Instant nextAttemptAt, List<Failure> history) {
    public Job {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** True when its tenant asked the running job to stop (not a bean getter, so JSON output keeps the API's fields only). */
    public boolean cancelPending() {
        return Boolean.TRUE.equals(cancelRequested);
    }

    /** What the handler last reported: 0-100 and a short message. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Progress(int percent, String message, Instant at) {
    }

    /** One failed attempt. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(int attempt, Instant at, String reason, String error) {
    }
}
