package io.durablejobs.cli;

/** A mistake of the user's caught before anything was sent: one line, exit code 2. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
