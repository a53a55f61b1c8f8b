package io.durablejobs.core.port;

/** The broker did not confirm a message: it may or may not have it, and the caller must not assume either. */
public class PublishException extends Exception {
    public PublishException(String message) {
        super(message);
    }

    public PublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
