package io.durablejobs.infra.model;

import java.util.List;

/**
 * One row of functions/functions.json (or of platform.json's deployFunctions), defaults applied.
 *
 * @param shards number of queues (and so event-source mappings, and so concurrent environments) a queue
 *               worker consumes; 1 unless the row says otherwise. See {@link QueuePlan}.
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
        Trigger trigger) {

    /** kind: http | queue | deploy. A queue trigger names a jobType (work queue) or a role (dead). */
    public record Trigger(String kind, String jobType, String role, List<String> routes) {
        public boolean isHttp() {
            return "http".equals(kind);
        }

        public boolean isQueue() {
            return "queue".equals(kind);
        }
    }

    /** Where `mvn package` leaves the shaded jar, relative to the repository root. */
    public String jarPath() {
        return module + "/target/" + artifact + "-0.1.0-SNAPSHOT-lambda.jar";
    }
}
