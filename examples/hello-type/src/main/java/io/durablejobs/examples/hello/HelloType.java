package io.durablejobs.examples.hello;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.retry.RetryPolicy;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code example.hello}: the smallest complete job type. Payload {@code {"name": "Ada", "shout"?: true}};
 * result {@code {"greeting": "Hello, Ada!"}}. A name of {@code "fail"} fails once and succeeds on the retry,
 * to show the retry path. {@code "steps": n} (up to 100) makes it work n steps of 100 ms first, checking
 * between steps whether its tenant cancelled it (the cooperative cancellation a long handler should do) and
 * reporting its progress.
 */
public final class HelloType implements JobType {
    public static final String NAME = "example.hello";

    private volatile String greeting = "Hello";

    /** Cheap and settings-free: every function constructs every registered type. */
    public HelloType() {
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Runs in the submit function: a bad payload is a 400 naming the field, and nothing is queued. */
    @Override
    public List<FieldError> validate(JsonNode payload) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode name = payload == null ? null : payload.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > 100) {
            errors.add(new FieldError("payload.name", "must be a non-empty string of at most 100 characters"));
        }
        JsonNode steps = payload == null ? null : payload.get("steps");
        if (steps != null && (!steps.isIntegralNumber() || steps.asInt() < 0 || steps.asInt() > 100)) {
            errors.add(new FieldError("payload.steps", "must be an integer from 0 to 100"));
        }
        JsonNode shout = payload == null ? null : payload.get("shout");
        if (shout != null && !shout.isBoolean()) {
            errors.add(new FieldError("payload.shout", "must be true or false"));
        }
        return errors;
    }

    /** Runs once per execution environment of this type's worker, before the first job: read settings here. */
    @Override
    public void start(Map<String, String> env) {
        greeting = env.getOrDefault("EXAMPLE_HELLO_GREETING", "Hello");
    }

    @Override
    public Outcome handle(JobContext ctx) {
        String name = ctx.payload().path("name").asText();
        if (name.equals("fail") && ctx.attempt() == 1) {
            return Outcome.retry("failing the first attempt on purpose");
        }
        int steps = ctx.payload().path("steps").asInt(0);
        for (int i = 0; i < steps; i++) {
            ctx.progress(i * 100 / steps, "step " + (i + 1) + " of " + steps);
            if (ctx.cancellationRequested()) {
                // Stop here: any outcome but Succeeded ends a job asked to cancel as cancelled.
                return Outcome.retry("cancelled after " + i + " of " + steps + " steps");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.retry("interrupted");
            }
        }
        String text = greeting + ", " + name + "!";
        if (ctx.payload().path("shout").asBoolean(false)) {
            text = text.toUpperCase(Locale.ROOT);
        }
        return Outcome.succeeded(Json.MAPPER.createObjectNode().put("greeting", text));
    }

    @Override
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(3, Duration.ofMillis(200), Duration.ofSeconds(5));
    }
}
