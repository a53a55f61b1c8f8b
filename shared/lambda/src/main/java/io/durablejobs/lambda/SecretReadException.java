package io.durablejobs.lambda;

/**
 * A secret could not be read: no credentials, Secrets Manager unreachable or slow, or an AWS error. Its
 * message names the cause (the AWS error type, a status, a timeout) and never a credential or a secret's
 * content, so {@link SecretSettings} can put it beside the setting's name in the start-up error.
 */
final class SecretReadException extends RuntimeException {
    SecretReadException(String message) {
        super(message, null, false, false);
    }
}
