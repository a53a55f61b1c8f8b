package io.durablejobs.host;

/** What invokes a function: API Gateway's {@code $default} route, or a RabbitMQ event-source mapping on one queue. */
public sealed interface Trigger permits Trigger.Http, Trigger.WorkQueue, Trigger.DeadQueue {

    /** API Gateway HTTP API, payload format 2.0, route {@code $default}. */
    record Http() implements Trigger {
    }

    /** The mapping on {@code <namespace>.<jobType>}. */
    record WorkQueue(String jobType) implements Trigger {
    }

    /** The mapping on {@code <namespace>.dead}. */
    record DeadQueue() implements Trigger {
    }
}
