package io.durablejobs.core.admission;

import java.time.Duration;

/**
 * Admission control before queueing: a per-tenant rate and a global budget, decided together in one
 * round trip to shared state. A rejected request consumes neither quota.
 */
public interface Admission {

    AdmissionDecision admit(String tenant);

    RateLimit tenantLimit();

    /**
     * Admits up to {@code jobs} jobs at once, charging the tenant once per job: {@link AdmissionDecision.Admitted}
     * with how many were granted (at least one), or the rejection when not even one fits.
     */
    default AdmissionDecision admit(String tenant, int jobs) {
        AdmissionDecision first = admit(tenant);
        if (!(first instanceof AdmissionDecision.Admitted a) || jobs <= 1) {
            return first;
        }
        int granted = 1;
        AdmissionDecision.Admitted last = a;
        while (granted < jobs && admit(tenant) instanceof AdmissionDecision.Admitted next) {
            granted++;
            last = next;
        }
        return new AdmissionDecision.Admitted(last.remaining(), last.reset(), granted);
    }

    /** Lets everything in: tests, and deployments that rate-limit elsewhere. */
    Admission UNLIMITED = new Admission() {
        @Override
        public AdmissionDecision admit(String tenant) {
            return new AdmissionDecision.Admitted(Long.MAX_VALUE, Duration.ZERO);
        }

        @Override
        public AdmissionDecision admit(String tenant, int jobs) {
            return new AdmissionDecision.Admitted(Long.MAX_VALUE, Duration.ZERO, Math.max(1, jobs));
        }

        @Override
        public RateLimit tenantLimit() {
            return RateLimit.UNLIMITED;
        }
    };
}
