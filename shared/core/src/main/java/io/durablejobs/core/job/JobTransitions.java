package io.durablejobs.core.job;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one table of legal status changes. Stores enforce it atomically (the Redis adapter passes
 * {@link #allowedFrom(JobStatus)} into its script), so a late or duplicate writer cannot move a job
 * backwards, e.g. from {@code succeeded} to {@code retrying}.
 */
public final class JobTransitions {
    private static final Map<JobStatus, Set<JobStatus>> FROM = new EnumMap<>(JobStatus.class);

    static {
        // running may follow running: a redelivered message of a job whose worker died mid-task.
        FROM.put(JobStatus.RUNNING, EnumSet.of(JobStatus.SCHEDULED, JobStatus.QUEUED, JobStatus.RETRYING, JobStatus.RUNNING));
        FROM.put(JobStatus.RETRYING, EnumSet.of(JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.RETRYING));
        FROM.put(JobStatus.SUCCEEDED, EnumSet.of(JobStatus.RUNNING));
        FROM.put(JobStatus.DEAD_LETTERED, EnumSet.of(JobStatus.SCHEDULED, JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING));
        // A job not running is cancelled at once; a running one only when its handler stops after the request.
        FROM.put(JobStatus.CANCELLED, EnumSet.of(JobStatus.SCHEDULED, JobStatus.QUEUED, JobStatus.RETRYING, JobStatus.RUNNING));
        // Replay of a dead letter puts the job back to work under the same id.
        FROM.put(JobStatus.QUEUED, EnumSet.of(JobStatus.DEAD_LETTERED));
    }

    private JobTransitions() {
    }

    public static Set<JobStatus> allowedFrom(JobStatus to) {
        return FROM.getOrDefault(to, EnumSet.noneOf(JobStatus.class));
    }

    public static boolean isAllowed(JobStatus from, JobStatus to) {
        return allowedFrom(to).contains(from);
    }
}
