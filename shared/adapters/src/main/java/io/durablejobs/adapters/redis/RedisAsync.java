package io.durablejobs.adapters.redis;

import io.durablejobs.core.port.StoreUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Pipelining for the stores' batch methods. Lettuce writes each asynchronous command as soon as it is
 * issued, without waiting for the answer to the one before, so commands issued together on one connection
 * travel as a pipeline and cost one round trip between them; the caller then waits once. On a cluster
 * connection each command still goes to its own key's node, so the keys of different jobs (different slots)
 * need no multi-key script. Uses the session's one connection rather than a dedicated one with manual
 * flushing: that would hold commands of other requests sharing the connection until the flush.
 */
public final class RedisAsync {
    private RedisAsync() {
    }

    /** The asynchronous face of the connection behind {@code sync}, or null when it has none (a test double). */
    public static RedisClusterAsyncCommands<String, String> of(RedisClusterCommands<String, String> sync) {
        if (sync instanceof RedisCommands<String, String> standalone) {
            return standalone.getStatefulConnection().async();
        }
        if (sync instanceof RedisAdvancedClusterCommands<String, String> cluster) {
            return cluster.getStatefulConnection().async();
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
