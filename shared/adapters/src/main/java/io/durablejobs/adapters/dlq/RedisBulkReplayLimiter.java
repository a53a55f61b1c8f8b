package io.durablejobs.adapters.dlq;

import io.durablejobs.adapters.redis.RedisSync;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.core.dlq.BulkReplayLimiter;
import io.durablejobs.core.port.StoreUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.SetArgs;
import java.time.Duration;

/** One bulk replay per tenant per interval, cluster-wide: a key set with NX and the interval as its TTL. */
public final class RedisBulkReplayLimiter implements BulkReplayLimiter {
    private final RedisSync redis;
    private final String namespace;
    private final Duration interval;

    public RedisBulkReplayLimiter(RedisSync redis, String namespace, Duration interval) {
        this.redis = redis;
        this.namespace = namespace;
        this.interval = interval;
    }

    @Override
    public Duration tryAcquire(String tenant) {
        String key = new RedisKeys(namespace).dlqBulkReplay(tenant);
        try {
            if ("OK".equals(redis.set(key, "1", SetArgs.Builder.nx().px(interval.toMillis())))) {
                return Duration.ZERO;
            }
            long left = redis.pttl(key);
            return Duration.ofMillis(Math.max(1, left));
        } catch (RedisException e) {
            throw new StoreUnavailableException("redis: " + e.getMessage(), e);
        }
    }
}
