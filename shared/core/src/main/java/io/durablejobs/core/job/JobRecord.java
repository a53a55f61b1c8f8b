package io.durablejobs.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * The status view of a job, as stored and as {@code GET /v1/jobs/{id}} shows it. {@code runAt} is when a
 * delayed job is due (null for a job submitted to run at once); {@code cancelRequested} says its tenant
 * asked a running job to stop; {@code progress} is what its handler last reported (or null).
 */
public record JobRecord(
        String jobId,
        String tenant,
        String type,
        JobStatus status,
        int attempts,
        Instant createdAt,
        Instant updatedAt,
        JsonNode result,
        String error,
        Instant runAt,
        boolean cancelRequested,
        Progress progress) {

    public JobRecord(String jobId, String tenant, String type, JobStatus status, int attempts, Instant createdAt, Instant updatedAt,
                     JsonNode result, String error) {
        this(jobId, tenant, type, status, attempts, createdAt, updatedAt, result, error, null, false, null);
    }

    public JobRecord(String jobId, String tenant, String type, JobStatus status, int attempts, Instant createdAt, Instant updatedAt,
                     JsonNode result, String error, Instant runAt) {
        this(jobId, tenant, type, status, attempts, createdAt, updatedAt, result, error, runAt, false, null);
    }

    public JobRecord(String jobId, String tenant, String type, JobStatus status, int attempts, Instant createdAt, Instant updatedAt,
                     JsonNode result, String error, Instant runAt, boolean cancelRequested) {
        this(jobId, tenant, type, status, attempts, createdAt, updatedAt, result, error, runAt, cancelRequested, null);
    }

    public static JobRecord queued(JobEnvelope job, Instant now) {
        return new JobRecord(job.jobId(), job.tenant(), job.type(), JobStatus.QUEUED, 0, job.createdAt(), now, null, null);
    }

    /** A delayed job, waiting until {@code runAt}. */
    public static JobRecord scheduled(JobEnvelope job, Instant now, Instant runAt) {
        return new JobRecord(job.jobId(), job.tenant(), job.type(), JobStatus.SCHEDULED, 0, job.createdAt(), now, null, null, runAt);
    }
}
