package io.durablejobs.core.testing;

import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.job.JobTransitions;
import io.durablejobs.core.port.Claim;
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
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final java.util.Set<String> cancelRequests = ConcurrentHashMap.newKeySet();
    private final Map<String, io.durablejobs.core.job.Progress> progress = new ConcurrentHashMap<>();
    private final Map<String, java.util.List<io.durablejobs.core.job.FailureEntry>> histories = new ConcurrentHashMap<>();
    private final Map<String, java.time.Instant> nextAttempts = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile boolean down;

    public InMemoryJobStore(Clock clock) {
        this.clock = clock;
    }

    public void setDown(boolean down) {
        this.down = down;
    }

    /** How many records exist: what a refused submit must not leave behind. */
    public int size() {
        return records.size();
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
    public synchronized boolean createIfAbsent(JobRecord record, Duration ttl) {
        check();
        return records.putIfAbsent(record.jobId(), record) == null;
    }

    @Override
    public synchronized Claim claim(JobEnvelope job, int attempt, Duration lease, int maxDeliveries, Duration ttl) {
        check();
        long now = clock.millis();
        JobRecord r = records.computeIfAbsent(job.jobId(), id -> new JobRecord(id, job.tenant(), job.type(), JobStatus.QUEUED, 0,
                job.createdAt(), clock.instant(), null, null));
        if (r.status().isTerminal()) {
            return new Claim.Finished();
        }
        if (attempt < r.attempts() || (attempt == r.attempts() && r.status() != JobStatus.RUNNING)) {
            return new Claim.Stale();
        }
        Lease l = leases.get(job.jobId());
        if (r.status() == JobStatus.RUNNING && l != null && l.until > now) {
            return new Claim.Busy(l.until - now);
        }
        int deliveries = attempt == r.attempts() ? (l == null ? 1 : l.deliveries + 1) : 1;
        long token = (l == null ? 0 : l.token);
        if (deliveries > maxDeliveries) {
            leases.put(job.jobId(), new Lease(token, 0, deliveries));
            return new Claim.Poison(deliveries);
        }
        token++;
        leases.put(job.jobId(), new Lease(token, now + lease.toMillis(), deliveries));
        records.put(job.jobId(), new JobRecord(r.jobId(), r.tenant(), r.type(), JobStatus.RUNNING, attempt, r.createdAt(),
                clock.instant(), r.result(), null));
        return new Claim.Claimed(token, deliveries, generations.getOrDefault(job.jobId(), 0));
    }

    @Override
    public synchronized Result finish(String jobId, long token, Transition t, Duration ttl) {
        check();
        JobRecord r = records.get(jobId);
        if (r == null) {
            return Result.MISSING;
        }
        Lease l = leases.get(jobId);
        if (r.status() != JobStatus.RUNNING || l == null || l.token != token) {
            return Result.REFUSED;
        }
        leases.put(jobId, new Lease(l.token, 0, l.deliveries));
        records.put(jobId, new JobRecord(jobId, r.tenant(), r.type(), t.to(), r.attempts(), r.createdAt(), clock.instant(),
                t.result() != null ? t.result() : r.result(), t.error() != null ? t.error() : r.error()));
        return Result.APPLIED;
    }

    private record Lease(long token, long until, int deliveries) {
    }

    /** Replay generation and pending-replay lineage per job (the Redis store keeps them in the job hash). */
    private final Map<String, Integer> generations = new ConcurrentHashMap<>();
    private final Map<String, String> pendingReplay = new ConcurrentHashMap<>();

    @Override
    public synchronized java.util.OptionalInt replay(io.durablejobs.core.port.JobReplay replay, Duration ttl) {
        check();
        JobRecord r = records.get(replay.jobId());
        int gen = generations.getOrDefault(replay.jobId(), 0);
        if (r != null && r.status() == JobStatus.QUEUED && r.attempts() == 0 && replay.replayOf().equals(pendingReplay.get(replay.jobId()))) {
            return java.util.OptionalInt.of(gen);
        }
        if (r != null && r.status() != JobStatus.DEAD_LETTERED) {
            return java.util.OptionalInt.empty();
        }
        int next = Math.max(gen + 1, replay.minGeneration());
        generations.put(replay.jobId(), next);
        pendingReplay.put(replay.jobId(), replay.replayOf());
        Lease l = leases.get(replay.jobId());
        leases.put(replay.jobId(), new Lease(l == null ? 0 : l.token, 0, 0));
        records.put(replay.jobId(), new JobRecord(replay.jobId(), r == null ? replay.tenant() : r.tenant(), r == null ? replay.type() : r.type(),
                JobStatus.QUEUED, 0, r == null ? replay.createdAt() : r.createdAt(), clock.instant(), null, null));
        return java.util.OptionalInt.of(next);
    }

    @Override
    public Optional<io.durablejobs.core.port.JobStanding> standing(String jobId) {
        check();
        return Optional.ofNullable(records.get(jobId))
                .map(r -> new io.durablejobs.core.port.JobStanding(r.status(), generations.getOrDefault(jobId, 0)));
    }

    @Override
    public synchronized Result markDeadLettered(String jobId, String error, Duration ttl) {
        check();
        JobRecord r = records.get(jobId);
        if (r == null) {
            return Result.MISSING;
        }
        if (r.status().isTerminal()) {
            return Result.REFUSED;
        }
        Lease l = leases.get(jobId);
        if (l != null) {
            leases.put(jobId, new Lease(l.token, 0, l.deliveries));
        }
        records.put(jobId, new JobRecord(jobId, r.tenant(), r.type(), JobStatus.DEAD_LETTERED, r.attempts(), r.createdAt(), clock.instant(),
                null, error));
        return Result.APPLIED;
    }

    @Override
    public void delete(String jobId) {
        check();
        records.remove(jobId);
    }

    @Override
    public Optional<JobRecord> find(String jobId) {
        check();
        return Optional.ofNullable(records.get(jobId)).map(r -> new JobRecord(r.jobId(), r.tenant(), r.type(), r.status(), r.attempts(),
                r.createdAt(), r.updatedAt(), r.result(), r.error(), r.runAt(), cancelRequests.contains(jobId), progress.get(jobId),
                nextAttempts.get(jobId), histories.get(jobId)));
    }

    @Override
    public synchronized void noteFailures(String jobId, int attempt, java.util.List<io.durablejobs.core.job.FailureEntry> history,
                                          java.time.Instant nextAttemptAt) {
        check();
        JobRecord r = records.get(jobId);
        if (r == null || r.attempts() != attempt) {
            return;
        }
        histories.put(jobId, java.util.List.copyOf(history));
        if (nextAttemptAt == null) {
            nextAttempts.remove(jobId);
        } else {
            nextAttempts.put(jobId, nextAttemptAt);
        }
    }

    @Override
    public synchronized void progress(String jobId, io.durablejobs.core.job.Progress p) {
        check();
        JobRecord r = records.get(jobId);
        if (r != null && r.status() == JobStatus.RUNNING) {
            progress.put(jobId, p);
        }
    }

    @Override
    public synchronized Cancellation cancel(String jobId, Duration ttl) {
        check();
        JobRecord r = records.get(jobId);
        if (r == null) {
            return Cancellation.MISSING;
        }
        return switch (r.status()) {
            case CANCELLED -> Cancellation.CANCELLED;
            case SUCCEEDED, DEAD_LETTERED -> Cancellation.FINISHED;
            case RUNNING -> {
                cancelRequests.add(jobId);
                yield Cancellation.REQUESTED;
            }
            default -> {
                records.put(jobId, new JobRecord(jobId, r.tenant(), r.type(), JobStatus.CANCELLED, r.attempts(), r.createdAt(),
                        clock.instant(), null, r.error(), r.runAt()));
                yield Cancellation.CANCELLED;
            }
        };
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
