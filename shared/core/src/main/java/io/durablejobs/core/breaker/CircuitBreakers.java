package io.durablejobs.core.breaker;

/**
 * Circuit breakers, one per downstream (a webhook host, a named dependency), shared by every worker.
 * Implementations cost at most one round trip to shared state per call on the closed path.
 */
public interface CircuitBreakers {

    Permit acquire(String breaker);

    void record(Permit.Allowed permit, CallResult result);

    /** Breakers that never trip: for types without a downstream, and for tests. */
    CircuitBreakers NONE = new CircuitBreakers() {
        @Override
        public Permit acquire(String breaker) {
            return new Permit.Allowed(breaker, 0, null);
        }

        @Override
        public void record(Permit.Allowed permit, CallResult result) {
        }
    };
}
