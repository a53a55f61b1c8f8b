package io.durablejobs.adapters.redis;

/**
 * Every Redis key the platform writes, in one place: {@code <ns>:<purpose>:{<id>}}. The braces are a
 * cluster hash tag, so the keys a Lua script touches together land in one slot (ElastiCache Serverless is
 * always cluster mode). Each method says how long its key lives; the adapters' README lists them.
 */
public final class RedisKeys {
    private final String namespace;

    public RedisKeys(String namespace) {
        this.namespace = namespace;
    }

    /** A job's record: expires {@code JOBS_STATUS_TTL} after its last change. */
    public String job(String jobId) {
        return namespace + ":job:{" + jobId + "}";
    }

    /** Scoped by tenant: the same key in two tenants is two records. Expires with the idempotency window. */
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

    /**
     * One tenant's jobs, a sorted set scored by creation time: trimmed by score on every add, and the key
     * expires a retention after the tenant's last job.
     */
    public String jobsByTenant(String tenant) {
        return namespace + ":jobs-by-tenant:{" + tenant + "}";
    }

    /** One tenant's ledger: a hash of totals and per-type counts, expiring {@code JOBS_LEDGER_TTL} after its last change. */
    public String ledger(String tenant) {
        return namespace + ":ledger:{" + tenant + "}";
    }

    /** A job's once-only marker for one ledger change, in the ledger's slot: lives as long as job records. */
    public String ledgerMarker(String tenant, String marker) {
        return ledger(tenant) + ":" + marker;
    }

    /**
     * The set of tenants that have a ledger ({@code Ledger.tenants()}). It has no TTL: it grows by one member per
     * tenant ever accepted, and a member whose ledger expired reads as zero counts.
     */
    public String ledgerTenants() {
        return namespace + ":ledger-tenants";
    }

    /** A downstream's shared circuit-breaker state; expires twice the breaker's window (or open wait) plus a minute after its last change. */
    public String breakerState(String downstream) {
        return namespace + ":breaker:{" + hashTagSafe(downstream) + "}";
    }

    /** The same breaker's sliding window of outcomes, in its state's slot and with its TTL. */
    public String breakerWindow(String downstream) {
        return breakerState(downstream) + ":w";
    }

    /** One tenant's admission bucket (GCRA); both buckets share a slot and expire a second after they refill. */
    public String admissionTenant(String tenant) {
        return namespace + ":rate:" + admissionTag() + ":t:" + tenant;
    }

    /** The namespace-wide admission bucket, in the tenants' buckets' slot. */
    public String admissionGlobal() {
        return namespace + ":rate:" + admissionTag() + ":global";
    }

    private String admissionTag() {
        return "{" + namespace + ":admission}";
    }

    /** A tenant's bulk-replay rate limit: a key set with NX and the interval as its TTL. */
    public String dlqBulkReplay(String tenant) {
        return namespace + ":dlq-bulk:{" + tenant + "}";
    }

    /** The dashboard's metrics (a hash of sums and gauges); expires a day after the last flush. */
    public String metricsView() {
        return namespace + ":metrics-view";
    }

    /** Braces would end the hash tag early: a downstream name such as a URL keeps its own in parentheses. */
    private static String hashTagSafe(String name) {
        return name.replace('{', '(').replace('}', ')');
    }

    public String namespace() {
        return namespace;
    }
}
