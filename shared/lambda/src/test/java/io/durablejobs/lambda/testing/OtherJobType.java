package io.durablejobs.lambda.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.config.Settings;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.Outcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code test.other}: a second type with its own queue, so tests can tell types apart (it always succeeds).
 * It has a setting of its own, {@code TEST_OTHER_LIMIT} (1 to 10, default 1), read as it starts like a real
 * type's, and counts its starts and closes.
 */
public final class OtherJobType implements JobType {
    public static final AtomicInteger STARTS = new AtomicInteger();
    public static final AtomicInteger CLOSES = new AtomicInteger();

    @Override
    public String name() {
        return "test.other";
    }

    @Override
    public void start(Map<String, String> env) {
        Settings s = new Settings(env);
        s.integer("TEST_OTHER_LIMIT", 1, 1, 10);
        s.check();
        STARTS.incrementAndGet();
    }

    @Override
    public void close() {
        CLOSES.incrementAndGet();
    }

    @Override
    public List<FieldError> validate(JsonNode payload) {
        return List.of();
    }

    @Override
    public Outcome handle(JobContext ctx) {
        return Outcome.succeeded(null);
    }
}
