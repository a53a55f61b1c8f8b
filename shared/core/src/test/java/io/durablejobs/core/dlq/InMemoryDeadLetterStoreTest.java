package io.durablejobs.core.dlq;

class InMemoryDeadLetterStoreTest extends DeadLetterStoreContract {
    private final InMemoryDeadLetterStore store = new InMemoryDeadLetterStore();

    @Override
    protected DeadLetterStore store() {
        return store;
    }
}
