package io.durablejobs.core.port;

import io.durablejobs.core.job.JobStatus;

/** Where a job stands, for bookkeeping: its status and its replay generation (0 until replayed). */
public record JobStanding(JobStatus status, int generation) {
}
