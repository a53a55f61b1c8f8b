package io.durablejobs.core.testing;

import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.job.JobTransitions;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.StoreUnavailableException;
import io.durablejobs.core.port.Transition;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A job store for unit tests of the logic above it. Passes the same contract test as the Redis store. */
public final class InMemoryJobStore implements JobStore {
    private final Map<String, JobRecord> records = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile boolean down;

    public InMemoryJobStore(Clock clock) {
        this.clock = clock;
    }

    public void setDown(boolean down) {
        this.down = down;
    }

    private void check() {
        if (down) {
            throw new StoreUnavailableException("store is down (test)", null);
        }
    }

    @Override
    public void create(JobRecord record, Duration ttl) {
        check();
        records.put(record.jobId(), record);
    }

    @Override
    public void delete(String jobId) {
        check();
        records.remove(jobId);
    }

    @Override
    public Optional<JobRecord> find(String jobId) {
        check();
        return Optional.ofNullable(records.get(jobId));
    }

    @Override
    public synchronized Result transition(String jobId, Transition t, Duration ttl) {
        check();
        JobRecord r = records.get(jobId);
        if (r == null) {
            return Result.MISSING;
        }
        if (!JobTransitions.isAllowed(r.status(), t.to())) {
            return Result.REFUSED;
        }
        if (t.attempt() < r.attempts() || (t.attempt() == r.attempts() && r.status() != JobStatus.RUNNING)) {
            return Result.REFUSED;
        }
        String error = t.error() != null ? t.error() : (t.to() == JobStatus.SUCCEEDED || t.to() == JobStatus.RUNNING ? null : r.error());
        records.put(jobId, new JobRecord(jobId, r.tenant(), r.type(), t.to(), t.attempt(), r.createdAt(), clock.instant(),
                t.result() != null ? t.result() : r.result(), error));
        return Result.APPLIED;
    }
}
