package io.durablejobs.core.admission;

import java.time.Duration;

/** Whether a request may be queued, with what the IETF RateLimit headers report about the tenant's quota. */
public sealed interface AdmissionDecision {

    /**
     * {@code remaining}: requests the tenant may still send at once; {@code reset}: until the quota is full
     * again; {@code granted}: how many of the jobs asked for were admitted (1 for a single submit; a batch may
     * be granted fewer than it asked for when the quota runs out part way).
     */
    record Admitted(long remaining, Duration reset, int granted) implements AdmissionDecision {
        public Admitted(long remaining, Duration reset) {
            this(remaining, reset, 1);
        }
    }

    /** Over the tenant's rate (429) or over the global budget (503, the system sheds load). */
    record Rejected(Scope scope, Duration retryAfter) implements AdmissionDecision {
    }

    enum Scope { TENANT, GLOBAL }
}
