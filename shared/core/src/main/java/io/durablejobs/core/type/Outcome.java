package io.durablejobs.core.type;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Objects;

/** How a handler run ended. The worker turns each into an ack path. */
public sealed interface Outcome {

    /** Done; {@code result} is shown on the job (may be null). */
    record Succeeded(JsonNode result) implements Outcome {
    }

    /** Try again later, spending an attempt. {@code notBefore} is a floor from the downstream (Retry-After). */
    record Retry(String error, Duration notBefore) implements Outcome {
        public Retry {
            Objects.requireNonNull(error, "error");
            notBefore = notBefore == null ? Duration.ZERO : notBefore;
        }
    }

    /** Give up now: retrying cannot help (bad request, gone endpoint, invalid input). */
    record DeadLetter(String reason, String error) implements Outcome {
        public DeadLetter {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Outcome succeeded(JsonNode result) {
        return new Succeeded(result);
    }

    static Outcome retry(String error) {
        return new Retry(error, Duration.ZERO);
    }

    static Outcome deadLetter(String reason, String error) {
        return new DeadLetter(reason, error);
    }
}
