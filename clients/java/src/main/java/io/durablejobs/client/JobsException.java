package io.durablejobs.client;

/** Every failure the client reports; unchecked, like the JDK's own HTTP client failures wrapped here. */
public class JobsException extends RuntimeException {
    public JobsException(String message, Throwable cause) {
        super(message, cause);
    }

    public JobsException(String message) {
        super(message);
    }
}
