package io.durablejobs.core.testing;

import io.durablejobs.core.port.IdempotencyStore;
import java.time.Clock;

class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(Clock.systemUTC());

    @Override
    protected IdempotencyStore store() {
        return store;
    }
}
