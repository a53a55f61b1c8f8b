package io.durablejobs.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The status view of a job, as stored and as {@code GET /v1/jobs/{id}} shows it. */
public record JobRecord(
        String jobId,
        String tenant,
        String type,
        JobStatus status,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        JsonNode result,
        String error) {

    public static JobRecord queued(JobEnvelope job, Instant now) {
        return new JobRecord(job.jobId(), job.tenant(), job.type(), JobStatus.QUEUED, 0, job.createdAt(), now, null, null);
    }
}
