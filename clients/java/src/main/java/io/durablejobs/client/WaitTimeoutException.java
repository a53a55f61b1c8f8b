package io.durablejobs.client;

import java.time.Duration;

/** {@link JobsClient#waitUntilFinal} ran out of time; {@link #lastSeen()} is the job as last read. */
public final class WaitTimeoutException extends JobsException {
    private final transient Job lastSeen;

    public WaitTimeoutException(Job lastSeen, Duration timeout) {
        super("job " + lastSeen.jobId() + " is still " + lastSeen.status().wire() + " after " + timeout.toMillis() + " ms");
        this.lastSeen = lastSeen;
    }

    public Job lastSeen() {
        return lastSeen;
    }
}
