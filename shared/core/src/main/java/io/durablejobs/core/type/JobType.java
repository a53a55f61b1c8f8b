package io.durablejobs.core.type;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.retry.RetryPolicy;
import java.util.List;
import java.util.Map;

/**
 * The one interface a job type implements. Register it in
 * {@code META-INF/services/io.durablejobs.core.type.JobType}; the submit function then accepts it and a
 * worker function for it is a three-line subclass of the shared worker handler.
 *
 * <p>Lifecycle: the {@link java.util.ServiceLoader} constructs every type in every function, so the public
 * no-arg constructor must be cheap and need no settings (the submit function only calls
 * {@link #validate}). The worker function of a type calls {@link #start} once per execution environment
 * before the first {@link #handle}: read settings and build clients there, and fail fast on bad settings
 * (throw {@link io.durablejobs.core.config.ConfigException}). {@link #handle} is called from several
 * threads.
 */
public interface JobType {

    /** The public type name, e.g. {@code webhook.deliver}; also the routing key and queue suffix. */
    String name();

    /**
     * Checks a payload at submit time, before anything is queued. Returns every problem, each naming the
     * field (JSON Pointer-ish dotted path under {@code payload}); empty when valid.
     */
    List<FieldError> validate(JsonNode payload);

    /** Runs the job. Expected failures are outcomes, not exceptions; an exception is treated as retryable. */
    Outcome handle(JobContext context) throws Exception;

    /** Called once by this type's worker before it handles jobs; {@code env} is the function's environment. */
    default void start(Map<String, String> env) {
    }

    /** Called when the execution environment shuts down. */
    default void close() {
    }

    /**
     * The downstream this job calls, named for its circuit breaker and bulkhead (e.g.
     * {@code webhook:hooks.example.com}); null when it calls none worth guarding. Jobs of one downstream
     * share one cluster-wide breaker and a per-target concurrency limit in the worker.
     */
    default String downstream(JsonNode payload) {
        return null;
    }

    default RetryPolicy retryPolicy() {
        return RetryPolicy.DEFAULT;
    }
}
