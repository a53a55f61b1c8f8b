package io.durablejobs.adapters.redis;

/**
 * Redis key layout: {@code <ns>:<purpose>:{<id>}}. The braces are a cluster hash tag, so every key of
 * one job lands in one slot and a Lua script may touch them together (ElastiCache Serverless is always
 * cluster mode).
 */
public final class RedisKeys {
    private final String namespace;

    public RedisKeys(String namespace) {
        this.namespace = namespace;
    }

    public String job(String jobId) {
        return namespace + ":job:{" + jobId + "}";
    }

    /** Scoped by tenant: the same key in two tenants is two records. */
    public String idempotency(String tenant, String keyDigest) {
        return namespace + ":idem:{" + tenant + ":" + keyDigest + "}";
    }

    public String namespace() {
        return namespace;
    }
}
