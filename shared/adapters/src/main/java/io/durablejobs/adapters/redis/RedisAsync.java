package io.durablejobs.adapters.redis;

import io.durablejobs.core.port.StoreUnavailableException;
import io.durablejobs.core.port.WriteGroup;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Pipelining for the stores' batch methods. Lettuce writes each asynchronous command as soon as it is
 * issued, without waiting for the answer to the one before, so commands issued together on one connection
 * travel as a pipeline and cost one round trip between them; the caller then waits once. On a cluster
 * connection each command still goes to its own key's node, so the keys of different jobs (different slots)
 * need no multi-key script.
 *
 * <p>{@link #writtenTogether} also merges the writes: a batch step's commands (500 idempotency claims, say)
 * are buffered and flushed to the socket in one write instead of one each, so Redis reads them in one go
 * and neither side pays a system call per command. It uses the session's one connection: an API
 * environment serves one request at a time, so what it holds back is only that request's own commands
 * (anything another thread issues meanwhile waits microseconds, until the step's flush).
 */
public final class RedisAsync {
    private RedisAsync() {
    }

    /** The asynchronous face of the connection behind {@code sync}. */
    public static RedisClusterAsyncCommands<String, String> of(RedisSync sync) {
        return sync.async();
    }

    /**
     * Runs {@code issue}, which issues commands on {@code async} without waiting for them, with the
     * connection's automatic flush off, then flushes them all at once. Nothing is held past the call: the
     * flush and the return of automatic flushing happen whatever {@code issue} throws. A cluster session opened
     * every master's link at start ({@link RedisSession}), so no command waits on a link still connecting.
     */
    public static <T> T writtenTogether(RedisClusterAsyncCommands<String, String> async, Supplier<T> issue) {
        StatefulConnection<String, String> connection = connectionOf(async);
        if (connection == null || HOLDING.get() == connection) {
            // Inside a group on this connection already (a store's step within a caller's group): the outer
            // group flushes it with the rest.
            return issue.get();
        }
        HOLDING.set(connection);
        connection.setAutoFlushCommands(false);
        try {
            return issue.get();
        } finally {
            HOLDING.remove();
            connection.setAutoFlushCommands(true);
            connection.flushCommands();
        }
    }

    /** The connection whose flushes this thread is holding back, if any. */
    private static final ThreadLocal<StatefulConnection<String, String>> HOLDING = new ThreadLocal<>();

    /**
     * Several stores' calls on {@code sync}'s connection written together ({@link #writtenTogether}): one
     * flush for a step's calls to the ledger, the listing and the idempotency store, where each store's own
     * batch would otherwise be a flush of its own.
     */
    public static WriteGroup group(RedisSync sync) {
        RedisClusterAsyncCommands<String, String> async = of(sync);
        return issue -> writtenTogether(async, () -> {
            issue.run();
            return null;
        });
    }

    private static StatefulConnection<String, String> connectionOf(RedisClusterAsyncCommands<String, String> async) {
        if (async instanceof RedisAsyncCommands<String, String> standalone) {
            return standalone.getStatefulConnection();
        }
        if (async instanceof RedisAdvancedClusterAsyncCommands<String, String> cluster) {
            return cluster.getStatefulConnection();
        }
        return null;
    }

    /** {@code stage}, its Redis failures turned into the store's {@link StoreUnavailableException}. */
    public static <T> CompletableFuture<T> mapped(CompletionStage<T> stage) {
        return stage.toCompletableFuture().handle((v, e) -> {
            if (e == null) {
                return v;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RedisException r) {
                throw new StoreUnavailableException("redis: " + r.getMessage(), r);
            }
            throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
    }

    /** All of {@code futures}, in order, once every one answered; failed as the first failure. */
    public static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).handle((ignored, e) -> {
            List<T> out = new ArrayList<>(futures.size());
            for (CompletableFuture<T> f : futures) {
                out.add(f.join());
            }
            return out;
        });
    }
}
