package io.durablejobs.client;

/** The API could not be reached (connection refused, reset, timed out), after the retries the call allows. */
public final class TransportException extends JobsException {
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
