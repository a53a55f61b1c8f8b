package io.durablejobs.adapters.ledger;

import io.durablejobs.adapters.redis.RedisSync;
import io.durablejobs.adapters.redis.RedisAsync;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.redis.RedisPipeline;
import io.durablejobs.adapters.redis.RedisScript;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.ledger.LedgerCounts;
import io.durablejobs.core.port.Pipelined;
import io.durablejobs.core.port.StoreUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The conservation ledger in Redis: one hash per tenant, {@code <ns>:ledger:{<tenant>}}, with the totals
 * and {@code type:<type>:<counter>} fields. The job's own key lives in another cluster slot, so a count
 * cannot share the worker's finish script. Exactly-once comes instead from a marker per job (and replay
 * generation) kept in the tenant's slot, {@code <ns>:ledger:{<tenant>}:<kind>:<jobId>:<gen>}: one script
 * sets the marker and moves the counters together, or does nothing when the marker exists. Callers may
 * therefore repeat a count on every path that sees the job finished; a crash between the status write
 * and the count is repaired by the redelivery it causes. Markers live as long as job records
 * (JOBS_STATUS_TTL); the counters for {@code ledgerTtl}, renewed on every change.
 */
public final class RedisLedger implements Ledger {
    private static final RedisScript COUNT = RedisScript.fromResource("/io/durablejobs/adapters/redis/ledger_count.lua");
    private static final RedisScript COUNT_ALL = RedisScript.fromResource("/io/durablejobs/adapters/redis/ledger_count_all.lua");

    private final RedisSync redis;
    private final String namespace;
    private final Duration markerTtl;
    private final Duration ledgerTtl;
    /** When set, final counts go through it: those of one tenant that meet in a flush become one script call. */
    private final RedisPipeline pipeline;
    private final RedisPipeline.Fold<Count> countAll = this::countAll;

    public RedisLedger(RedisSync redis, String namespace, Duration markerTtl, Duration ledgerTtl) {
        this(redis, namespace, markerTtl, ledgerTtl, null);
    }

    /**
     * @param pipeline the group-commit pipeline for {@link #finished} (a worker's counts), or null to count each
     *                 with a call of its own
     */
    public RedisLedger(RedisSync redis, String namespace, Duration markerTtl, Duration ledgerTtl,
                       RedisPipeline pipeline) {
        this.redis = redis;
        this.namespace = namespace;
        this.markerTtl = markerTtl;
        this.ledgerTtl = ledgerTtl;
        this.pipeline = pipeline;
    }

    /** One job's count: its tenant's ledger hash, its marker key, its type and two counter moves. */
    private record Count(String ledger, String marker, String type, String f1, int d1, String f2, int d2) {
    }

    String ledgerKey(String tenant) {
        return new RedisKeys(namespace).ledger(tenant);
    }

    private String tenantsKey() {
        return new RedisKeys(namespace).ledgerTenants();
    }

    @Override
    public void accepted(String tenant, String type, String jobId) {
        long accepted = count(tenant, type, "a:" + jobId, "accepted", 1, "in_flight", 1);
        if (accepted == 1) {
            call(() -> redis.sadd(tenantsKey(), tenant));
        }
    }

    /** Every count in one pipeline; the tenant joins the set of tenants in a second only for its first job ever. */
    @Override
    public CompletableFuture<Void> acceptedAll(List<Acceptance> jobs) {
        RedisClusterAsyncCommands<String, String> async = RedisAsync.of(redis);
        if (async == null) {
            return Ledger.super.acceptedAll(jobs);
        }
        List<CompletableFuture<Long>> counts = new ArrayList<>();
        RedisAsync.writtenTogether(async, () -> {
            for (Acceptance j : jobs) {
                String ledger = ledgerKey(j.tenant());
                counts.add(COUNT.runAsync(async, ScriptOutputType.INTEGER, new String[] {ledger, ledger + ":a:" + j.jobId()},
                        Long.toString(markerTtl.toMillis()), Long.toString(ledgerTtl.toMillis()), j.type(), "accepted", "1", "in_flight", "1"));
            }
            return counts;
        });
        return RedisAsync.all(counts).thenCompose(moved -> {
            Set<String> first = new TreeSet<>();
            for (int i = 0; i < moved.size(); i++) {
                if (moved.get(i) != null && moved.get(i) == 1L) {
                    first.add(jobs.get(i).tenant());
                }
            }
            return first.isEmpty() ? CompletableFuture.completedFuture(null)
                    : RedisAsync.mapped(async.sadd(tenantsKey(), first.toArray(String[]::new))).thenApply(x -> (Void) null);
        });
    }

    @Override
    public void finished(String tenant, String type, String jobId, int generation, JobStatus outcome) {
        if (pipeline != null) {
            Pipelined.await(finishedAsync(tenant, type, jobId, generation, outcome));
            return;
        }
        String field = finishedField(outcome);
        if (field != null) {
            count(tenant, type, "f:" + jobId + ":" + generation, field, 1, "in_flight", -1);
        }
    }

    /** Through the worker's pipeline, folded with the same tenant's other counts in its flush. */
    @Override
    public CompletableFuture<Void> finishedAsync(String tenant, String type, String jobId, int generation, JobStatus outcome) {
        String field = finishedField(outcome);
        if (field == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (pipeline == null) {
            return Ledger.super.finishedAsync(tenant, type, jobId, generation, outcome);
        }
        String ledger = ledgerKey(tenant);
        return pipeline.folded(ledger, new Count(ledger, new RedisKeys(namespace).ledgerMarker(tenant, "f:" + jobId + ":" + generation), type,
                field, 1, "in_flight", -1), countAll).thenApply(x -> null);
    }

    private static String finishedField(JobStatus outcome) {
        return switch (outcome) {
            case SUCCEEDED -> "succeeded";
            case DEAD_LETTERED -> "dead_lettered";
            // The same marker as the other final states: a job ends once per generation, whichever way.
            case CANCELLED -> "cancelled";
            default -> null;
        };
    }

    /** The counts of one tenant, as one script call (the fold key is the tenant's ledger hash). */
    private RedisPipeline.Call countAll(List<Count> counts) {
        String[] keys = new String[counts.size() + 1];
        String[] args = new String[2 + counts.size() * 5];
        keys[0] = counts.get(0).ledger();
        args[0] = Long.toString(markerTtl.toMillis());
        args[1] = Long.toString(ledgerTtl.toMillis());
        for (int i = 0; i < counts.size(); i++) {
            Count c = counts.get(i);
            keys[i + 1] = c.marker();
            int b = 2 + i * 5;
            args[b] = c.type();
            args[b + 1] = c.f1();
            args[b + 2] = Integer.toString(c.d1());
            args[b + 3] = c.f2();
            args[b + 4] = Integer.toString(c.d2());
        }
        return new RedisPipeline.Call(COUNT_ALL, ScriptOutputType.MULTI, keys, args);
    }

    @Override
    public void reopened(String tenant, String type, String jobId, int generation) {
        count(tenant, type, "r:" + jobId + ":" + generation, "dead_lettered", -1, "in_flight", 1);
    }

    private long count(String tenant, String type, String marker, String f1, int d1, String f2, int d2) {
        Long out = call(() -> COUNT.run(redis, ScriptOutputType.INTEGER, new String[] {ledgerKey(tenant), new RedisKeys(namespace).ledgerMarker(tenant, marker)},
                Long.toString(markerTtl.toMillis()), Long.toString(ledgerTtl.toMillis()), type, f1, Integer.toString(d1), f2,
                Integer.toString(d2)));
        return out == null ? -1 : out;
    }

    @Override
    public LedgerCounts read(String tenant) {
        Map<String, String> h = call(() -> redis.hgetall(ledgerKey(tenant)));
        Map<String, Map<String, Long>> types = new HashMap<>();
        h.forEach((k, v) -> {
            if (k.startsWith("type:")) {
                int last = k.lastIndexOf(':');
                types.computeIfAbsent(k.substring(5, last), t -> new HashMap<>()).put(k.substring(last + 1), Long.parseLong(v));
            }
        });
        Map<String, LedgerCounts> byType = new HashMap<>();
        types.forEach((t, m) -> byType.put(t, counts(m::get, Map.of())));
        return counts(k -> h.containsKey(k) ? Long.parseLong(h.get(k)) : null, byType);
    }

    private static LedgerCounts counts(Function<String, Long> f, Map<String, LedgerCounts> byType) {
        return new LedgerCounts(or0(f.apply("accepted")), or0(f.apply("succeeded")), or0(f.apply("dead_lettered")),
                or0(f.apply("cancelled")), or0(f.apply("in_flight")), byType);
    }

    private static long or0(Long v) {
        return v == null ? 0 : v;
    }

    @Override
    public Set<String> tenants() {
        return new TreeSet<>(call(() -> redis.smembers(tenantsKey())));
    }

    private static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (RedisException e) {
            throw new StoreUnavailableException("redis: " + e.getMessage(), e);
        }
    }
}
