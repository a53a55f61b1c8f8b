package io.durablejobs.lambda.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.retry.RetryPolicy;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code test.flaky}: fails {@code failTimes} times (retryably) and then succeeds, or dead-letters at
 * once with {@code permanent: true}. Counts runs per job so tests can check how often it ran.
 */
public final class FlakyJobType implements JobType {
    public static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return "test.flaky";
    }

    @Override
    public List<FieldError> validate(JsonNode payload) {
        return List.of();
    }

    @Override
    public Outcome handle(JobContext ctx) {
        int run = RUNS.computeIfAbsent(ctx.jobId(), k -> new AtomicInteger()).incrementAndGet();
        if (ctx.payload().path("permanent").asBoolean()) {
            return Outcome.deadLetter("client_error", "HTTP 400 (run " + run + ")");
        }
        if (run <= ctx.payload().path("failTimes").asInt()) {
            return Outcome.retry("HTTP 503 (run " + run + ")");
        }
        return Outcome.succeeded(ctx.payload().path("echo"));
    }

    @Override
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(400));
    }
}
