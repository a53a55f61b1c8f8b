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

    /**
     * A recurring schedule. Every schedule key of a namespace shares one hash tag, so the scripts that keep a
     * record, its tenant's set and the due index in step run in one slot. Schedules are few (a per-tenant
     * limit) and touched once a minute, so one slot is no hot spot. These keys have no TTL: a schedule is
     * configuration and lives until it is deleted.
     */
    public String schedule(String scheduleId) {
        return namespace + ":schedule:{" + namespace + ":schedules}:" + scheduleId;
    }

    /** The ids of one tenant's schedules (its count is the per-tenant limit). */
    public String tenantSchedules(String tenant) {
        return namespace + ":schedule-ids:{" + namespace + ":schedules}:" + tenant;
    }

    /** Every unpaused schedule, scored by its next tick (epoch ms): the scheduler reads what is due. */
    public String schedulesDue() {
        return namespace + ":schedule-due:{" + namespace + ":schedules}";
    }

    public String namespace() {
        return namespace;
    }
}
