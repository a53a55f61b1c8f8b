package io.durablejobs.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.Outcome;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** {@code bench.noop}: does nothing, so end-to-end throughput measures the platform alone. */
public final class NoopJobType implements JobType {
    static final AtomicLong COMPLETED = new AtomicLong();
    static volatile long firstNanos;
    static volatile long lastNanos;

    @Override
    public String name() {
        return "bench.noop";
    }

    @Override
    public List<FieldError> validate(JsonNode payload) {
        return List.of();
    }

    @Override
    public Outcome handle(JobContext context) {
        long now = System.nanoTime();
        if (COMPLETED.getAndIncrement() == 0) {
            firstNanos = now;
        }
        lastNanos = now;
        return Outcome.succeeded(null);
    }
}
