package io.durablejobs.lambda.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.Outcome;
import java.util.List;

/** {@code test.other}: a second type with its own queue, so tests can tell types apart (it always succeeds). */
public final class OtherJobType implements JobType {
    @Override
    public String name() {
        return "test.other";
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
