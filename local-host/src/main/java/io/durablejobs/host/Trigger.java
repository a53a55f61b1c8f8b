package io.durablejobs.host;

/** What invokes a function: API Gateway's {@code $default} route, or a RabbitMQ event-source mapping on one queue. */
public sealed interface Trigger permits Trigger.Http, Trigger.WorkQueue, Trigger.DeadQueue {

    /** API Gateway HTTP API, payload format 2.0, route {@code $default}. */
    record Http() implements Trigger {
    }

    /**
     * The mappings on {@code <namespace>.<jobType>}: one, or one per shard ({@code "shards": N} in
     * functions.json; shard n is {@code <namespace>.<jobType>.<n>}), each with its own environments.
     */
    record WorkQueue(String jobType, int shards) implements Trigger {
        public WorkQueue(String jobType) {
            this(jobType, 1);
        }
    }

    /** The mapping on {@code <namespace>.dead}. */
    record DeadQueue() implements Trigger {
    }
}
