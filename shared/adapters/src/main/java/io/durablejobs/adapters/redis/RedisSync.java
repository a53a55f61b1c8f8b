package io.durablejobs.adapters.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The synchronous Redis commands the stores use, each with Lettuce's own signature and behaviour (it waits
 * for the answer up to the session's command timeout, then throws {@code RedisCommandTimeoutException};
 * Redis errors throw as Lettuce's synchronous API throws them), and the connection's asynchronous face for
 * pipelined calls ({@link RedisAsync}).
 *
 * <p>Why not Lettuce's own synchronous API: it is a JDK dynamic proxy over the ~860 methods of
 * {@code RedisCommands}, built for every connection when it is created, and generating that proxy class and
 * mapping each of its methods onto the asynchronous API by reflection took about a quarter of a function's cold
 * start's CPU (JFR samples). The session implements this interface with a plain class over the asynchronous
 * API instead ({@link RedisSession#commands()}); Lettuce's full API stays available, built on first use,
 * through {@link RedisSession#lettuce()}.
 */
public interface RedisSync {

    /** The same connection's asynchronous commands (standalone or cluster), for calls issued together. */
    RedisClusterAsyncCommands<String, String> async();

    String get(String key);

    String set(String key, String value);

    String set(String key, String value, SetArgs args);

    Long del(String... keys);

    List<String> keys(String pattern);

    Long pttl(String key);

    Boolean pexpire(String key, long milliseconds);

    String hget(String key, String field);

    Map<String, String> hgetall(String key);

    List<KeyValue<String, String>> hmget(String key, String... fields);

    Boolean hexists(String key, String field);

    Long hset(String key, Map<String, String> map);

    Double hincrbyfloat(String key, String field, double amount);

    Long sadd(String key, String... members);

    Set<String> smembers(String key);

    List<String> zrangebyscore(String key, Range<? extends Number> range, Limit limit);

    <T> T eval(String script, ScriptOutputType type, String[] keys, String... values);

    <T> T evalsha(String digest, ScriptOutputType type, String[] keys, String... values);

    String ping();
}
