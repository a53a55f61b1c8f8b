package io.durablejobs.adapters.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script called by its SHA. After a Redis restart (or on a cluster node that has not seen it) the
 * script cache is empty: NOSCRIPT falls back to EVAL once, which also caches it again. All keys go in
 * KEYS so the script routes by its first key and stays in one slot.
 */
public final class RedisScript {
    private final String source;
    private final String sha;

    private RedisScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    public static RedisScript fromResource(String name) {
        try (InputStream in = RedisScript.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + name);
            }
            return new RedisScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read script " + name, e);
        }
    }

    /** A script from its text (tests: one the server has never seen). */
    static RedisScript ofSource(String source) {
        return new RedisScript(source);
    }

    public <T> T run(RedisSync redis, ScriptOutputType type, String[] keys, String... args) {
        try {
            return redis.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, type, keys, args);
        }
    }

    /**
     * As {@link #run}, without waiting: the call joins the connection's pipeline. NOSCRIPT (a restarted
     * server, a node that has not seen the script) falls back to EVAL, as the synchronous call does.
     */
    public <T> CompletableFuture<T> runAsync(RedisClusterAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
                                             String... args) {
        CompletableFuture<T> bySha = redis.<T>evalsha(sha, type, keys, args).toCompletableFuture();
        return RedisAsync.mapped(bySha.exceptionallyCompose(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            return cause instanceof RedisNoScriptException ? redis.<T>eval(source, type, keys, args).toCompletableFuture()
                    : CompletableFuture.failedFuture(cause);
        }));
    }

    /** The script's SHA-1, for EVALSHA. */
    String sha() {
        return sha;
    }

    /** The script's text, for EVAL after NOSCRIPT. */
    String source() {
        return source;
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
