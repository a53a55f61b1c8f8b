package io.durablejobs.adapters.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@link RedisSync} over a connection's asynchronous API: each call issues the command and waits for it
 * as Lettuce's synchronous proxy does ({@code LettuceFutures.awaitOrCancel}: cancelled and a
 * {@code RedisCommandTimeoutException} after the timeout, a failed command's own {@code RedisException}
 * rethrown).
 */
final class LettuceSync implements RedisSync {
    private final RedisClusterAsyncCommands<String, String> async;
    private final long timeoutNanos;

    LettuceSync(RedisClusterAsyncCommands<String, String> async, Duration timeout) {
        this.async = async;
        this.timeoutNanos = timeout.toNanos();
    }

    private <T> T await(RedisFuture<T> command) {
        return LettuceFutures.awaitOrCancel(command, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    @Override
    public String get(String key) {
        return await(async.get(key));
    }

    @Override
    public String set(String key, String value) {
        return await(async.set(key, value));
    }

    @Override
    public String set(String key, String value, SetArgs args) {
        return await(async.set(key, value, args));
    }

    @Override
    public Long del(String... keys) {
        return await(async.del(keys));
    }

    @Override
    public List<String> keys(String pattern) {
        return await(async.keys(pattern));
    }

    @Override
    public Long pttl(String key) {
        return await(async.pttl(key));
    }

    @Override
    public Boolean pexpire(String key, long milliseconds) {
        return await(async.pexpire(key, milliseconds));
    }

    @Override
    public String hget(String key, String field) {
        return await(async.hget(key, field));
    }

    @Override
    public Map<String, String> hgetall(String key) {
        return await(async.hgetall(key));
    }

    @Override
    public List<KeyValue<String, String>> hmget(String key, String... fields) {
        return await(async.hmget(key, fields));
    }

    @Override
    public Boolean hexists(String key, String field) {
        return await(async.hexists(key, field));
    }

    @Override
    public Long hset(String key, Map<String, String> map) {
        return await(async.hset(key, map));
    }

    @Override
    public Double hincrbyfloat(String key, String field, double amount) {
        return await(async.hincrbyfloat(key, field, amount));
    }

    @Override
    public Long sadd(String key, String... members) {
        return await(async.sadd(key, members));
    }

    @Override
    public Set<String> smembers(String key) {
        return await(async.smembers(key));
    }

    @Override
    public List<String> zrangebyscore(String key, Range<? extends Number> range, Limit limit) {
        return await(async.zrangebyscore(key, range, limit));
    }

    @Override
    public <T> T eval(String script, ScriptOutputType type, String[] keys, String... values) {
        return await(async.eval(script, type, keys, values));
    }

    @Override
    public <T> T evalsha(String digest, ScriptOutputType type, String[] keys, String... values) {
        return await(async.evalsha(digest, type, keys, values));
    }

    @Override
    public String ping() {
        return await(async.ping());
    }
}
