package io.durablejobs.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.retry.RetryPolicy;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** A job type whose runs follow a script of outcomes, recording each context it was given. */
public final class ScriptedJobType implements JobType {
    private final String name;
    private final Queue<Object> script = new ConcurrentLinkedQueue<>();
    private final List<JobContext> runs = new CopyOnWriteArrayList<>();
    private final RetryPolicy policy;

    public ScriptedJobType(String name, int maxAttempts) {
        this.name = name;
        this.policy = new RetryPolicy(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    /**
     * Each item is an {@link Outcome} to return, an {@link Exception} to throw, or a
     * {@link java.util.concurrent.Callable} whose outcome to return; after the script, success.
     */
    public ScriptedJobType then(Object... items) {
        script.addAll(List.of(items));
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<FieldError> validate(JsonNode payload) {
        List<FieldError> errors = new ArrayList<>();
        if (payload.has("bad")) {
            errors.add(new FieldError("bad", "must not be present"));
        }
        return errors;
    }

    @Override
    public Outcome handle(JobContext context) throws Exception {
        runs.add(context);
        Object next = script.poll();
        if (next instanceof Exception e) {
            throw e;
        }
        if (next instanceof java.util.concurrent.Callable<?> c) {
            return (Outcome) c.call();
        }
        return next == null ? Outcome.succeeded(null) : (Outcome) next;
    }

    @Override
    public RetryPolicy retryPolicy() {
        return policy;
    }

    public List<JobContext> runs() {
        return runs;
    }
}
