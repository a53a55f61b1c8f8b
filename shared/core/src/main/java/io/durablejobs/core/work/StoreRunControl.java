package io.durablejobs.core.work;

import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.StoreUnavailableException;
import java.util.function.BooleanSupplier;

/**
 * A running handler's view of "was I asked to stop?": read from the job store at most once a second however
 * often the handler asks, and true for good once seen. An unreachable store reads as "not asked" (the job
 * goes on, as it would have without the request).
 */
final class CancellationCheck implements BooleanSupplier {
    private static final long READ_EVERY_NANOS = 1_000_000_000L;

    private final JobStore store;
    private final String jobId;
    private long nextRead = System.nanoTime();
    private boolean requested;

    CancellationCheck(JobStore store, String jobId) {
        this.store = store;
        this.jobId = jobId;
    }

    @Override
    public synchronized boolean getAsBoolean() {
        if (requested) {
            return true;
        }
        long now = System.nanoTime();
        if (now - nextRead >= 0) {
            nextRead = now + READ_EVERY_NANOS;
            requested = readNow();
        }
        return requested;
    }

    /** A fresh read, for the decision after the handler returned. */
    synchronized boolean readNow() {
        try {
            requested = requested || store.cancelRequested(jobId);
        } catch (StoreUnavailableException e) {
            return requested;
        }
        return requested;
    }
}
