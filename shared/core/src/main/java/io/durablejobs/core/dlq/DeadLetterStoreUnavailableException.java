package io.durablejobs.core.dlq;

/** The dead-letter store could not be written or read: the DLQ consumer fails its batch so the broker keeps it. */
public class DeadLetterStoreUnavailableException extends RuntimeException {
    public DeadLetterStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
