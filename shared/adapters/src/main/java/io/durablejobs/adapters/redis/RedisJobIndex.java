package io.durablejobs.adapters.redis;

import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.port.StoreUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Each tenant's jobs as one sorted set, {@code <ns>:jobs-by-tenant:{<tenant>}}, scored by creation time.
 * Members of a sorted set cannot expire one by one, so each add also drops the entries older than the
 * retention (scores are times), and the key itself expires a retention after the tenant's last job.
 */
public final class RedisJobIndex implements JobIndex {
    private static final RedisScript ADD = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_index_add.lua");
    private static final RedisScript PAGE = RedisScript.fromResource("/io/durablejobs/adapters/redis/job_index_page.lua");

    private final RedisSync redis;
    private final RedisClusterAsyncCommands<String, String> async;
    private final String namespace;
    private final Clock clock;

    public RedisJobIndex(RedisSync redis, String namespace, Clock clock) {
        this.redis = redis;
        this.async = RedisAsync.of(redis);
        this.namespace = namespace;
        this.clock = clock;
    }

    String key(String tenant) {
        return new RedisKeys(namespace).jobsByTenant(tenant);
    }

    @Override
    public void add(String tenant, String jobId, Instant createdAt, Duration retention) {
        long oldest = clock.millis() - retention.toMillis();
        call(() -> ADD.run(redis, ScriptOutputType.INTEGER, new String[] {key(tenant)}, Long.toString(createdAt.toEpochMilli()), jobId,
                Long.toString(oldest), Long.toString(retention.toMillis())));
    }

    /** Every entry in one pipeline; the tenant's set is one key, so the scripts run one after another on its node. */
    @Override
    public CompletableFuture<Void> addAll(String tenant, List<Entry> entries, Duration retention) {
        if (async == null) {
            return JobIndex.super.addAll(tenant, entries, retention);
        }
        String oldest = Long.toString(clock.millis() - retention.toMillis());
        List<CompletableFuture<Object>> out = new ArrayList<>();
        RedisAsync.writtenTogether(async, () -> {
            for (Entry e : entries) {
                out.add(ADD.runAsync(async, ScriptOutputType.INTEGER, new String[] {key(tenant)}, Long.toString(e.createdAt().toEpochMilli()),
                        e.jobId(), oldest, Long.toString(retention.toMillis())));
            }
            return out;
        });
        return RedisAsync.all(out).thenApply(x -> null);
    }

    @Override
    public List<Entry> page(String tenant, Entry after, Instant createdAfter, Instant createdBefore, int limit) {
        long max = createdBefore == null ? Long.MAX_VALUE : createdBefore.toEpochMilli();
        String below = "";
        if (after != null && after.createdAt().toEpochMilli() <= max) {
            max = after.createdAt().toEpochMilli();
            below = after.jobId();
        }
        long min = createdAfter == null ? 0 : createdAfter.toEpochMilli();
        String maxArg = Long.toString(max);
        String belowArg = below;
        List<Object> out = call(() -> PAGE.run(redis, ScriptOutputType.MULTI, new String[] {key(tenant)}, maxArg, belowArg,
                Long.toString(min), Integer.toString(limit)));
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i + 1 < out.size(); i += 2) {
            entries.add(new Entry(String.valueOf(out.get(i)), Instant.ofEpochMilli((long) Double.parseDouble(String.valueOf(out.get(i + 1))))));
        }
        return entries;
    }

    private static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (RedisException e) {
            throw new StoreUnavailableException("redis: " + e.getMessage(), e);
        }
    }
}
