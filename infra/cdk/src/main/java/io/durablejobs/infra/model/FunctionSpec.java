package io.durablejobs.infra.model;

import java.util.List;

/**
 * One row of functions/functions.json (or of platform.json's deployFunctions), defaults applied.
 *
 * @param shards number of queues (and so event-source mappings, and so concurrent environments) a queue
 *               worker consumes; 1 unless the row says otherwise. See {@link QueuePlan}.
 * @param concurrency concurrent environments per trigger (per mapping for a queue function, the function's
 *               for http), or null for none reserved; see {@link #reservedConcurrency()}.
 * @param snapStart SnapStart on published versions; the function is then invoked through its {@code live} alias.
 */
public record FunctionSpec(
        String name,
        String module,
        String artifact,
        String handler,
        String runtime,
        int memoryMb,
        int timeoutSeconds,
        int batchSize,
        int batchWindowMs,
        int shards,
        Integer concurrency,
        boolean snapStart,
        Trigger trigger) {

    /** The alias every invoker of a SnapStart function calls: SnapStart applies to published versions only. */
    public static final String LIVE_ALIAS = "live";

    /**
     * kind: http | queue | schedule | deploy. A queue trigger names a jobType (work queue) or a role (dead); a
     * schedule trigger an EventBridge schedule expression (e.g. {@code rate(1 minute)}).
     */
    public record Trigger(String kind, String jobType, String role, List<String> routes, String expression) {
        public Trigger(String kind, String jobType, String role, List<String> routes) {
            this(kind, jobType, role, routes, null);
        }

        public boolean isSchedule() {
            return "schedule".equals(kind);
        }

        public boolean isHttp() {
            return "http".equals(kind);
        }

        public boolean isQueue() {
            return "queue".equals(kind);
        }
    }

    /**
     * Reserved concurrency, or null for none: a queue function's {@code concurrency} per mapping times its
     * mappings (a RabbitMQ mapping runs one environment, so sharded types reserve one per shard), an http
     * function's {@code concurrency} as it is. Terraform computes the same (locals.tf reserved_concurrency).
     */
    public Integer reservedConcurrency() {
        if (concurrency == null) {
            return null;
        }
        return trigger.isQueue() ? concurrency * shards : concurrency;
    }

    /** Where `mvn package` leaves the shaded jar, relative to the repository root. */
    public String jarPath() {
        return module + "/target/" + artifact + "-0.1.0-SNAPSHOT-lambda.jar";
    }
}
