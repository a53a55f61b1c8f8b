package io.durablejobs.core.metrics;

/**
 * The metric names and the namespace infra's alarms and dashboard expect (infra/README.md): namespace
 * {@code DurableJobs}, dimension {@code Namespace} on every metric, plus {@code Type}, {@code Reason} or
 * {@code Breaker} where they say more.
 */
public final class MetricNames {
    public static final String DEFAULT_NAMESPACE = "DurableJobs";
    public static final String DIM_NAMESPACE = "Namespace";
    public static final String DIM_TYPE = "Type";
    public static final String DIM_REASON = "Reason";
    public static final String DIM_BREAKER = "Breaker";
    public static final String DIM_STATE = "State";

    public static final String ACCEPTED = "JobsAccepted";
    public static final String REJECTED = "JobsRejected";
    public static final String SUCCEEDED = "JobsSucceeded";
    public static final String RETRIED = "JobsRetried";
    public static final String DEFERRED = "JobsDeferred";
    public static final String SKIPPED = "JobsSkipped";
    public static final String HANDED_ON = "JobsHandedOn";
    public static final String DEAD_LETTERED = "JobsDeadLettered";
    public static final String HANDLER_DURATION = "HandlerDuration";
    public static final String BREAKER_TRANSITION = "BreakerTransitions";
    public static final String BREAKER_OPEN = "BreakerOpen";

    /** Ready messages in a type's work queues (all shards), dimension Type; pushed every minute by the DLQ consumer. */
    public static final String QUEUE_DEPTH = "QueueDepth";
    /** Longest time a message of a received batch waited in its work queue, dimension Type; EMF from the workers. */
    public static final String QUEUE_AGE = "QueueAgeSeconds";

    public static final String DEAD_LETTERS = "DeadLetters";
    public static final String DLQ_DEPTH = "DlqDepth";
    public static final String DLQ_OLDEST_AGE = "DlqOldestAgeSeconds";
    /** Dead letters the broker parked because the DLQ consumer failed on them too often: above 0, the store is failing. */
    public static final String DLQ_PARKED = "DlqParked";

    public static final String LEDGER_ACCEPTED = "LedgerAccepted";
    public static final String LEDGER_SUCCEEDED = "LedgerSucceeded";
    public static final String LEDGER_DEAD_LETTERED = "LedgerDeadLettered";
    public static final String LEDGER_IN_FLIGHT = "LedgerInFlight";
    public static final String LEDGER_MISMATCH = "LedgerMismatch";

    private MetricNames() {
    }
}
