package io.durablejobs.core.job;

import java.util.Arrays;
import java.util.Optional;

/** The states a job moves through, with the names clients see on the wire. */
public enum JobStatus {
    /** Accepted with a {@code runAt} or {@code delay}: waiting in the broker until it is due. */
    SCHEDULED("scheduled"),
    QUEUED("queued"),
    RUNNING("running"),
    RETRYING("retrying"),
    SUCCEEDED("succeeded"),
    DEAD_LETTERED("dead_lettered"),
    /** Cancelled by its tenant before it ran, or stopped by its handler after a cancellation request. Final. */
    CANCELLED("cancelled");

    private final String wire;

    JobStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == DEAD_LETTERED || this == CANCELLED;
    }

    public static Optional<JobStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }
}
