package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code POST /v1/jobs/{jobId}/cancel} did: a scheduled, queued or retrying job is {@code cancelled} at
 * once and never runs; a running one is only asked to stop ({@code cancelRequested}, the job still
 * {@code running}) and ends {@code cancelled} if its handler stops.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobCancelled(String jobId, JobStatus status, Boolean cancelRequested) {
    /** True when the job was running and has only been asked to stop. */
    public boolean requestOnly() {
        return Boolean.TRUE.equals(cancelRequested) && status != JobStatus.CANCELLED;
    }
}
