package io.durablejobs.core.work;

/** AMQP header names the platform sets. String values reach Lambda as {"bytes": [...]}. */
public final class JobHeaders {
    public static final String ATTEMPT = "x-jobs-attempt";
    public static final String TENANT = "x-jobs-tenant";
    public static final String HISTORY = "x-jobs-history";
    public static final String REASON = "x-jobs-reason";
    public static final String ERROR = "x-jobs-error";
    public static final String SOURCE_QUEUE = "x-jobs-source-queue";
    public static final String TRACEPARENT = "traceparent";
    /** Total time this job has waited on open breakers (or busy leases), not spending attempts. */
    public static final String DEFERRED_MS = "x-jobs-deferred-ms";
    /** When a delayed job is due (an ISO-8601 instant): until then it hops through the retry tiers, not run. */
    public static final String DUE_AT = "x-jobs-due-at";

    private JobHeaders() {
    }
}
