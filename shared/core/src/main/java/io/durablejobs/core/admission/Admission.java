package io.durablejobs.core.admission;

import java.time.Duration;

/**
 * Admission control before queueing: a per-tenant rate and a global budget, decided together in one
 * round trip to shared state. A rejected request consumes neither quota.
 */
public interface Admission {

    AdmissionDecision admit(String tenant);

    RateLimit tenantLimit();

    /** Lets everything in: tests, and deployments that rate-limit elsewhere. */
    Admission UNLIMITED = new Admission() {
        @Override
        public AdmissionDecision admit(String tenant) {
            return new AdmissionDecision.Admitted(Long.MAX_VALUE, Duration.ZERO);
        }

        @Override
        public RateLimit tenantLimit() {
            return RateLimit.UNLIMITED;
        }
    };
}
