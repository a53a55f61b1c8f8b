package io.durablejobs.adapters.redis;

import io.durablejobs.core.api.IdempotencyKeys;
import io.durablejobs.core.port.IdempotencyClaim;
import io.durablejobs.core.port.IdempotencyStore;
import io.durablejobs.core.port.StoreUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Idempotency records as Redis hashes under {@code <ns>:idem:{<tenant>:<sha256(key)>}}, changed by Lua only. */
public final class RedisIdempotencyStore implements IdempotencyStore {
    private static final RedisScript CLAIM = RedisScript.fromResource("/io/durablejobs/adapters/redis/idem_claim.lua");
    private static final RedisScript COMPLETE = RedisScript.fromResource("/io/durablejobs/adapters/redis/idem_complete.lua");
    private static final RedisScript RELEASE = RedisScript.fromResource("/io/durablejobs/adapters/redis/idem_release.lua");

    private final RedisSync redis;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisKeys keys;

    public RedisIdempotencyStore(RedisSync redis, RedisKeys keys) {
        this.redis = redis;
        this.async = RedisAsync.of(redis);
        this.keys = keys;
    }

    private String key(String tenant, String key) {
        return keys.idempotency(tenant, IdempotencyKeys.storageId(key));
    }

    @Override
    public IdempotencyClaim claim(String tenant, String key, String fingerprint, String proposedJobId, Instant createdAt,
                                  Duration lease, Duration ttl) {
        String owner = UUID.randomUUID().toString();
        List<Object> r = call(() -> CLAIM.run(redis, ScriptOutputType.MULTI, new String[] {key(tenant, key)}, fingerprint,
                proposedJobId, createdAt.toString(), owner, Long.toString(lease.toMillis()), Long.toString(ttl.toMillis())));
        return verdict(r, owner);
    }

    private static IdempotencyClaim verdict(List<Object> r, String owner) {
        String verdict = String.valueOf(r.get(0));
        return switch (verdict) {
            case "PROCEED" -> new IdempotencyClaim.Proceed(String.valueOf(r.get(1)), Instant.parse(String.valueOf(r.get(2))), owner,
                    ((Number) r.get(3)).intValue() == 1);
            case "IN_PROGRESS" -> new IdempotencyClaim.InProgress();
            case "MISMATCH" -> new IdempotencyClaim.Mismatch();
            case "COMPLETED" -> new IdempotencyClaim.Completed(Integer.parseInt(String.valueOf(r.get(1))), String.valueOf(r.get(2)),
                    String.valueOf(r.get(3)).isEmpty() ? null : String.valueOf(r.get(3)));
            default -> throw new IllegalStateException("unexpected idempotency verdict " + verdict);
        };
    }

    /** Every claim in one pipeline: one round trip whatever their number (each key is its own slot). */
    @Override
    public CompletableFuture<List<IdempotencyClaim>> claimAll(List<ClaimRequest> requests, Duration lease, Duration ttl) {
        if (async == null) {
            return IdempotencyStore.super.claimAll(requests, lease, ttl);
        }
        List<CompletableFuture<IdempotencyClaim>> out = new ArrayList<>();
        RedisAsync.writtenTogether(async, () -> {
            for (ClaimRequest c : requests) {
                String owner = UUID.randomUUID().toString();
                CompletableFuture<List<Object>> r = CLAIM.runAsync(async, ScriptOutputType.MULTI, new String[] {key(c.tenant(), c.key())},
                        c.fingerprint(), c.proposedJobId(), c.createdAt().toString(), owner, Long.toString(lease.toMillis()),
                        Long.toString(ttl.toMillis()));
                out.add(r.thenApply(v -> verdict(v, owner)));
            }
            return out;
        });
        return RedisAsync.all(out);
    }

    @Override
    public CompletableFuture<Void> completeAll(List<Completion> completions, Duration ttl) {
        if (async == null) {
            return IdempotencyStore.super.completeAll(completions, ttl);
        }
        List<CompletableFuture<Object>> out = new ArrayList<>();
        RedisAsync.writtenTogether(async, () -> {
            for (Completion c : completions) {
                out.add(COMPLETE.runAsync(async, ScriptOutputType.INTEGER, new String[] {key(c.tenant(), c.key())}, c.owner(),
                        Integer.toString(c.status()), c.body(), c.location() == null ? "" : c.location(), Long.toString(ttl.toMillis())));
            }
            return out;
        });
        return RedisAsync.all(out).thenApply(x -> null);
    }

    @Override
    public CompletableFuture<Void> releaseAll(List<Release> releases) {
        if (async == null) {
            return IdempotencyStore.super.releaseAll(releases);
        }
        List<CompletableFuture<Object>> out = new ArrayList<>();
        RedisAsync.writtenTogether(async, () -> {
            for (Release r : releases) {
                out.add(RELEASE.runAsync(async, ScriptOutputType.INTEGER, new String[] {key(r.tenant(), r.key())}, r.owner()));
            }
            return out;
        });
        return RedisAsync.all(out).thenApply(x -> null);
    }

    @Override
    public void complete(String tenant, String key, String owner, int status, String body, String location, Duration ttl) {
        call(() -> COMPLETE.run(redis, ScriptOutputType.INTEGER, new String[] {key(tenant, key)}, owner, Integer.toString(status), body,
                location == null ? "" : location, Long.toString(ttl.toMillis())));
    }

    @Override
    public void release(String tenant, String key, String owner) {
        call(() -> RELEASE.run(redis, ScriptOutputType.INTEGER, new String[] {key(tenant, key)}, owner));
    }

    private static <T> T call(Supplier<T> op) {
        try {
            return op.get();
        } catch (RedisException e) {
            throw new StoreUnavailableException("redis: " + e.getMessage(), e);
        }
    }
}
