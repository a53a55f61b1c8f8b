package io.durablejobs.core.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.port.JobStanding;
import io.durablejobs.core.port.JobStore;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/jobs/{jobId}/cancel}. A job that has not started (scheduled, queued, or waiting for a
 * retry) is cancelled at once and never runs: {@code 200} with status {@code cancelled}, and the ledger moves
 * it from in flight to cancelled. A running job cannot be stopped from outside: the request is recorded
 * ({@code 202}, {@code cancelRequested: true}) and its handler, which sees it through its context, ends it
 * {@code cancelled} if it stops. A finished job answers {@code 409}; another tenant's or an unknown one {@code 404}.
 */
public final class JobCancellation {
    private static final Logger LOG = LoggerFactory.getLogger(JobCancellation.class);

    private final JobStore store;
    private final Ledger ledger;
    private final Duration statusTtl;

    public JobCancellation(JobStore store, Ledger ledger, Duration statusTtl) {
        this.store = store;
        this.ledger = ledger;
        this.statusTtl = statusTtl;
    }

    public ApiResponse cancel(String jobId, String tenant) {
        Optional<JobRecord> found = JobIds.isValid(jobId) ? store.find(jobId).filter(r -> r.tenant().equals(tenant)) : Optional.empty();
        if (found.isEmpty()) {
            return Problem.of(404, "not-found", "Not found", "no such job").toResponse();
        }
        JobRecord job = found.get();
        JobStore.Cancellation c = store.cancel(jobId, statusTtl);
        switch (c) {
            case CANCELLED -> {
                // Counted once per job and generation however often it is asked, so a repeated cancel is harmless.
                int generation = store.standing(jobId).map(JobStanding::generation).orElse(0);
                try {
                    ledger.finished(tenant, job.type(), jobId, generation, JobStatus.CANCELLED);
                } catch (RuntimeException e) {
                    LOG.warn("ledger did not count the cancelled job jobId={}: {}", jobId, e.toString());
                }
                LOG.info("job cancelled jobId={} type={} tenant={}", jobId, job.type(), tenant);
                return ApiResponse.json(200, view(jobId, JobStatus.CANCELLED, false), Map.of());
            }
            case REQUESTED -> {
                LOG.info("cancellation requested of running job jobId={} type={} tenant={}", jobId, job.type(), tenant);
                return ApiResponse.json(202, view(jobId, JobStatus.RUNNING, true), Map.of());
            }
            case FINISHED -> {
                JobStatus now = store.find(jobId).map(JobRecord::status).orElse(job.status());
                return Problem.of(409, "job-finished", "Job already finished", "the job is " + now.wire() + "; only a job that has"
                        + " not finished can be cancelled").toResponse();
            }
            default -> {
                return Problem.of(404, "not-found", "Not found", "no such job").toResponse();
            }
        }
    }

    private static ObjectNode view(String jobId, JobStatus status, boolean requested) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("jobId", jobId);
        n.put("status", status.wire());
        if (requested) {
            n.put("cancelRequested", true);
        }
        return n;
    }
}
