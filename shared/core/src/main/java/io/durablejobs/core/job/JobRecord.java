package io.durablejobs.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * The status view of a job, as stored and as {@code GET /v1/jobs/{id}} shows it. {@code runAt} is when a
 * delayed job is due (null for a job submitted to run at once); {@code cancelRequested} says its tenant
 * asked a running job to stop; {@code progress} is what its handler last reported (or null);
 * {@code nextAttemptAt} when a job waiting for a retry is due again; {@code history} its failed attempts.
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
        Progress progress,
        Instant nextAttemptAt,
        List<FailureEntry> history) {

    public JobRecord {
        history = history == null ? List.of() : List.copyOf(history);
    }

    public JobRecord(String jobId, String tenant, String type, JobStatus status, int attempts, Instant createdAt, Instant updatedAt,
                     JsonNode result, String error) {
        this(jobId, tenant, type, status, attempts, createdAt, updatedAt, result, error, null, false, null, null, null);
    }

    public JobRecord(String jobId, String tenant, String type, JobStatus status, int attempts, Instant createdAt, Instant updatedAt,
                     JsonNode result, String error, Instant runAt) {
        this(jobId, tenant, type, status, attempts, createdAt, updatedAt, result, error, runAt, false, null, null, null);
    }

    public JobRecord(String jobId, String tenant, String type, JobStatus status, int attempts, Instant createdAt, Instant updatedAt,
                     JsonNode result, String error, Instant runAt, boolean cancelRequested) {
        this(jobId, tenant, type, status, attempts, createdAt, updatedAt, result, error, runAt, cancelRequested, null, null, null);
    }

    public JobRecord(String jobId, String tenant, String type, JobStatus status, int attempts, Instant createdAt, Instant updatedAt,
                     JsonNode result, String error, Instant runAt, boolean cancelRequested, Progress progress) {
        this(jobId, tenant, type, status, attempts, createdAt, updatedAt, result, error, runAt, cancelRequested, progress, null, null);
    }

    public static JobRecord queued(JobEnvelope job, Instant now) {
        return new JobRecord(job.jobId(), job.tenant(), job.type(), JobStatus.QUEUED, 0, job.createdAt(), now, null, null);
    }

    /** A delayed job, waiting until {@code runAt}. */
    public static JobRecord scheduled(JobEnvelope job, Instant now, Instant runAt) {
        return new JobRecord(job.jobId(), job.tenant(), job.type(), JobStatus.SCHEDULED, 0, job.createdAt(), now, null, null, runAt);
    }
}
