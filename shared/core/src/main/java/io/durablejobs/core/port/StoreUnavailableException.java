package io.durablejobs.core.port;

/** The job store (Redis) could not be reached or answered in time. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
