package io.durablejobs.adapters.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.job.JobTransitions;
import io.durablejobs.core.job.Progress;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.Claim;
import io.durablejobs.core.port.JobReplay;
import io.durablejobs.core.port.JobStanding;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.Pipelined;
import io.durablejobs.core.port.StoreUnavailableException;
import io.durablejobs.core.port.Transition;
import io.durablejobs.core.work.JobMessages;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Job status records as Redis hashes, changed only through Lua scripts that enforce the transition table. */
public final class RedisJobStore implements JobStore {
    private static final RedisScript CREATE = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_create.lua");
    private static final RedisScript TRANSITION = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_transition.lua");
    private static final RedisScript CREATE_IF_ABSENT = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_create_if_absent.lua");
    private static final RedisScript CLAIM = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_claim.lua");
    private static final RedisScript FINISH = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_finish.lua");
    private static final RedisScript REPLAY = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_replay.lua");
    private static final RedisScript CANCEL = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_cancel.lua");
    private static final RedisScript PROGRESS = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_progress.lua");
    private static final RedisScript NOTE_FAILURES = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_note_failures.lua");
    private static final RedisScript MARK_DEAD = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_mark_dead.lua");

    private final RedisSync redis;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisKeys keys;
    private final Clock clock;
    /** When set, a worker's per-job calls (claim, finish and the reads around them) go through it. */
    private final RedisPipeline pipeline;

    public RedisJobStore(RedisSync redis, RedisKeys keys, Clock clock) {
        this(redis, keys, clock, null);
    }

    /**
     * @param pipeline the group-commit pipeline for {@link #claim}, {@link #finish}, {@link #standing} and
     *                 {@link #cancelRequested}, which a worker's jobs call concurrently: their calls meeting in one
     *                 flush cost one round trip. Null sends each on the session's connection.
     */
    public RedisJobStore(RedisSync redis, RedisKeys keys, Clock clock, RedisPipeline pipeline) {
        this.redis = redis;
        this.async = RedisAsync.of(redis);
        this.keys = keys;
        this.clock = clock;
        this.pipeline = pipeline;
    }

    /** {@code script} in the pipeline when there is one, else on the session's connection. */
    private <T> T script(RedisScript script, ScriptOutputType type, String key, String... args) {
        String[] k = {key};
        if (pipeline != null) {
            return Pipelined.await(pipeline.script(script, type, k, args));
        }
        return call(() -> script.run(redis, type, k, args));
    }

    @Override
    public void create(JobRecord r, Duration ttl) {
        call(() -> CREATE.run(redis, ScriptOutputType.STATUS, new String[] {keys.job(r.jobId())}, recordArgs(r, ttl)));
    }

    @Override
    public boolean createIfAbsent(JobRecord r, Duration ttl) {
        Long wrote = call(() -> CREATE_IF_ABSENT.run(redis, ScriptOutputType.INTEGER, new String[] {keys.job(r.jobId())}, recordArgs(r, ttl)));
        return wrote != null && wrote == 1L;
    }

    @Override
    public Claim claim(JobEnvelope job, int attempt, Duration lease, int maxDeliveries, Duration ttl) {
        List<Object> out = script(CLAIM, ScriptOutputType.MULTI, keys.job(job.jobId()),
                Integer.toString(attempt), Long.toString(Math.max(1, lease.toMillis())), Integer.toString(maxDeliveries),
                Long.toString(ttl.toMillis()), job.tenant(), job.type(), job.createdAt().toString(), clock.instant().toString());
        String verdict = String.valueOf(out.get(0));
        long n = ((Number) out.get(1)).longValue();
        int deliveries = ((Number) out.get(2)).intValue();
        return switch (verdict) {
            case "CLAIMED" -> new Claim.Claimed(n, deliveries, out.size() > 3 ? ((Number) out.get(3)).intValue() : 0);
            case "FINISHED" -> new Claim.Finished();
            case "STALE" -> new Claim.Stale();
            case "BUSY" -> new Claim.Busy(n);
            case "POISON" -> new Claim.Poison(deliveries);
            default -> throw new IllegalStateException("unexpected claim verdict " + verdict);
        };
    }

    @Override
    public Result finish(String jobId, long token, Transition t, Duration ttl) {
        String out = script(FINISH, ScriptOutputType.STATUS, keys.job(jobId),
                t.to().wire(), Long.toString(token), Long.toString(ttl.toMillis()), clock.instant().toString(),
                t.result() == null ? "" : toJson(t.result()), t.error() == null ? "" : t.error());
        return Result.valueOf(out);
    }

    @Override
    public OptionalInt replay(JobReplay r, Duration ttl) {
        Long gen = call(() -> REPLAY.run(redis, ScriptOutputType.INTEGER, new String[] {keys.job(r.jobId())},
                Integer.toString(r.minGeneration()), r.replayOf(), r.by(), r.at().toString(), Long.toString(ttl.toMillis()),
                r.tenant(), r.type(), r.createdAt().toString()));
        return gen == null || gen < 0 ? OptionalInt.empty() : OptionalInt.of(gen.intValue());
    }

    @Override
    public Optional<JobStanding> standing(String jobId) {
        String key = keys.job(jobId);
        List<KeyValue<String, String>> v = pipeline != null ? Pipelined.await(pipeline.call(a -> a.hmget(key, "status", "gen")))
                : call(() -> redis.hmget(key, "status", "gen"));
        if (v == null || v.isEmpty() || !v.get(0).hasValue()) {
            return Optional.empty();
        }
        int gen = v.get(1).hasValue() ? Integer.parseInt(v.get(1).getValue()) : 0;
        return JobStatus.fromWire(v.get(0).getValue()).map(s -> new JobStanding(s, gen));
    }

    @Override
    public Result markDeadLettered(String jobId, String error, Duration ttl) {
        String out = call(() -> MARK_DEAD.run(redis, ScriptOutputType.STATUS, new String[] {keys.job(jobId)},
                clock.instant().toString(), error == null ? "" : error, Long.toString(ttl.toMillis())));
        return Result.valueOf(out);
    }

    @Override
    public Cancellation cancel(String jobId, Duration ttl) {
        String out = call(() -> CANCEL.run(redis, ScriptOutputType.STATUS, new String[] {keys.job(jobId)},
                clock.instant().toString(), Long.toString(ttl.toMillis())));
        return Cancellation.valueOf(out);
    }

    @Override
    public void progress(String jobId, Progress p) {
        call(() -> PROGRESS.run(redis, ScriptOutputType.INTEGER, new String[] {keys.job(jobId)}, Integer.toString(p.percent()),
                p.message(), p.at().toString()));
    }

    @Override
    public void noteFailures(String jobId, int attempt, List<FailureEntry> history, Instant nextAttemptAt) {
        call(() -> NOTE_FAILURES.run(redis, ScriptOutputType.INTEGER, new String[] {keys.job(jobId)}, Integer.toString(attempt),
                JobMessages.historyJson(history), nextAttemptAt == null ? "" : nextAttemptAt.toString()));
    }

    @Override
    public boolean cancelRequested(String jobId) {
        String key = keys.job(jobId);
        return Boolean.TRUE.equals(pipeline != null ? Pipelined.await(pipeline.call(a -> a.hexists(key, "cancelRequested")))
                : call(() -> redis.hexists(key, "cancelRequested")));
    }

    private static String[] recordArgs(JobRecord r, Duration ttl) {
        List<String> args = new ArrayList<>();
        args.add(Long.toString(ttl.toMillis()));
        add(args, "tenant", r.tenant());
        add(args, "type", r.type());
        add(args, "status", r.status().wire());
        add(args, "attempts", Integer.toString(r.attempts()));
        add(args, "createdAt", r.createdAt().toString());
        add(args, "updatedAt", r.updatedAt().toString());
        if (r.result() != null) {
            add(args, "result", toJson(r.result()));
        }
        if (r.error() != null) {
            add(args, "error", r.error());
        }
        if (r.runAt() != null) {
            add(args, "runAt", r.runAt().toString());
        }
        return args.toArray(String[]::new);
    }

    @Override
    public void delete(String jobId) {
        call(() -> redis.del(keys.job(jobId)));
    }

    /** Every record in one pipeline (each job's key is its own slot, so one script per record). */
    @Override
    public CompletableFuture<List<Boolean>> createAllIfAbsent(List<JobRecord> records, List<Duration> ttls) {
        if (async == null) {
            return JobStore.super.createAllIfAbsent(records, ttls);
        }
        List<CompletableFuture<Boolean>> out = new ArrayList<>();
        RedisAsync.writtenTogether(async, () -> {
            for (int i = 0; i < records.size(); i++) {
                JobRecord r = records.get(i);
                CompletableFuture<Long> wrote = CREATE_IF_ABSENT.runAsync(async, ScriptOutputType.INTEGER, new String[] {keys.job(r.jobId())},
                        recordArgs(r, ttls.get(i)));
                out.add(wrote.thenApply(w -> w != null && w == 1L));
            }
            return out;
        });
        return RedisAsync.all(out);
    }

    @Override
    public CompletableFuture<Void> deleteAll(List<String> jobIds) {
        if (async == null) {
            return JobStore.super.deleteAll(jobIds);
        }
        List<CompletableFuture<Long>> out = new ArrayList<>();
        RedisAsync.writtenTogether(async, () -> {
            for (String id : jobIds) {
                out.add(RedisAsync.mapped(async.del(keys.job(id))));
            }
            return out;
        });
        return RedisAsync.all(out).thenApply(x -> null);
    }

    @Override
    public CompletableFuture<List<Optional<JobRecord>>> findAll(List<String> jobIds) {
        if (async == null) {
            return JobStore.super.findAll(jobIds);
        }
        List<CompletableFuture<Optional<JobRecord>>> out = new ArrayList<>();
        RedisAsync.writtenTogether(async, () -> {
            for (String id : jobIds) {
                out.add(RedisAsync.mapped(async.hgetall(keys.job(id))).thenApply(h -> record(id, h)));
            }
            return out;
        });
        return RedisAsync.all(out);
    }

    @Override
    public Optional<JobRecord> find(String jobId) {
        return record(jobId, call(() -> redis.hgetall(keys.job(jobId))));
    }

    private static Optional<JobRecord> record(String jobId, Map<String, String> h) {
        if (h == null || h.isEmpty() || !h.containsKey("status")) {
            return Optional.empty();
        }
        return Optional.of(new JobRecord(jobId, h.get("tenant"), h.get("type"),
                JobStatus.fromWire(h.get("status")).orElseThrow(), Integer.parseInt(h.getOrDefault("attempts", "0")),
                Instant.parse(h.get("createdAt")), Instant.parse(h.get("updatedAt")), parse(h.get("result")), h.get("error"),
                h.containsKey("runAt") ? Instant.parse(h.get("runAt")) : null, h.containsKey("cancelRequested"),
                h.containsKey("progress") ? new Progress(Integer.parseInt(h.get("progress")), h.get("progressMessage"),
                        Instant.parse(h.get("progressAt"))) : null,
                h.containsKey("nextAttemptAt") ? Instant.parse(h.get("nextAttemptAt")) : null,
                h.containsKey("history") ? JobMessages.history(h.get("history")) : List.of()));
    }

    @Override
    public Result transition(String jobId, Transition t, Duration ttl) {
        String from = JobTransitions.allowedFrom(t.to()).stream().map(JobStatus::wire).collect(Collectors.joining(","));
        String out = call(() -> TRANSITION.run(redis, ScriptOutputType.STATUS, new String[] {keys.job(jobId)},
                t.to().wire(), Integer.toString(t.attempt()), from, Long.toString(ttl.toMillis()), clock.instant().toString(),
                t.result() == null ? "" : toJson(t.result()), t.error() == null ? "" : t.error()));
        return Result.valueOf(out);
    }

    private static void add(List<String> args, String field, String value) {
        args.add(field);
        args.add(value);
    }

    private static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (RedisException e) {
            throw new StoreUnavailableException("redis: " + e.getMessage(), e);
        }
    }

    private static String toJson(JsonNode n) {
        try {
            return Json.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
