package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A dead letter put back to work: same job id, attempts reset, replay {@code generation} raised. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Replayed(String jobId, JobStatus status, int generation) {
}
