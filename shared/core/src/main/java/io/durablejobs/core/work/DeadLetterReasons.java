package io.durablejobs.core.work;

/** Why a job was dead-lettered: the values of the {@code x-jobs-reason} header and of the DLQ record. */
public final class DeadLetterReasons {
    public static final String UNDECODABLE = "undecodable";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String RETRIES_EXHAUSTED = "retries_exhausted";
    public static final String DELIVERY_LIMIT = "delivery_limit";
    public static final String BREAKER_OPEN = "breaker_open";
    /**
     * Its last attempt ran past the job's own time budget (JOBS_WORKER_JOB_BUDGET, or the invocation's time):
     * the runner's verdict for a handler that did not stop in time, and the reason handlers that check their
     * deadline themselves give too.
     */
    public static final String TIME_BUDGET_EXCEEDED = "time_budget_exceeded";

    private DeadLetterReasons() {
    }
}
