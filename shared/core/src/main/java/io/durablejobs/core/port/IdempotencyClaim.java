package io.durablejobs.core.port;

import java.time.Instant;

/** The answer to claiming an {@code Idempotency-Key} for a request (IETF draft semantics). */
public sealed interface IdempotencyClaim {

    /**
     * Go ahead and accept the job under {@code jobId} and {@code createdAt}. They are fixed by the first
     * claim of the key: a retry after a crash or an unconfirmed publish resumes the same job rather than
     * making a second one ({@code resumed} is then true).
     */
    record Proceed(String jobId, Instant createdAt, String owner, boolean resumed) implements IdempotencyClaim {
    }

    /** The first request with this key is still being accepted: 409. */
    record InProgress() implements IdempotencyClaim {
    }

    /** The key was used with a different request: 422. */
    record Mismatch() implements IdempotencyClaim {
    }

    /** The first request completed: replay its response. */
    record Completed(int status, String body, String location) implements IdempotencyClaim {
    }
}
