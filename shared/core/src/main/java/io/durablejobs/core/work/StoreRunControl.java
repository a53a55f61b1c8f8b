package io.durablejobs.core.work;

import io.durablejobs.core.job.Progress;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.StoreUnavailableException;
import io.durablejobs.core.type.RunControl;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running handler's line to the job store. "Was I asked to stop?" is read at most once a second however
 * often the handler asks, and is true for good once seen. Progress is written at most once a second (always
 * for 100), so a handler may report in a tight loop. An unreachable store reads as "not asked" and drops the
 * progress report: neither may fail the job.
 */
final class StoreRunControl implements RunControl {
    private static final Logger LOG = LoggerFactory.getLogger(StoreRunControl.class);
    private static final long EVERY_NANOS = 1_000_000_000L;

    private final JobStore store;
    private final String jobId;
    private final Clock clock;
    private long nextRead = System.nanoTime();
    private long nextWrite = System.nanoTime();
    private boolean requested;

    StoreRunControl(JobStore store, String jobId, Clock clock) {
        this.store = store;
        this.jobId = jobId;
        this.clock = clock;
    }

    @Override
    public synchronized boolean cancellationRequested() {
        if (requested) {
            return true;
        }
        long now = System.nanoTime();
        if (now - nextRead >= 0) {
            nextRead = now + EVERY_NANOS;
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

    @Override
    public void progress(int percent, String message) {
        Progress p = new Progress(percent, message, clock.instant());
        synchronized (this) {
            long now = System.nanoTime();
            if (percent < 100 && now - nextWrite < 0) {
                return;
            }
            nextWrite = now + EVERY_NANOS;
        }
        try {
            store.progress(jobId, p);
        } catch (StoreUnavailableException e) {
            LOG.debug("progress not recorded jobId={}: {}", jobId, e.getMessage());
        }
    }
}
