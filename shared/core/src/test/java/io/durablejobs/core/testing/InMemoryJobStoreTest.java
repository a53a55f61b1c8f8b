package io.durablejobs.core.testing;

import io.durablejobs.core.port.JobStore;
import java.time.Clock;

class InMemoryJobStoreTest extends JobStoreContract {
    private final InMemoryJobStore store = new InMemoryJobStore(Clock.systemUTC());

    @Override
    protected JobStore store() {
        return store;
    }
}
