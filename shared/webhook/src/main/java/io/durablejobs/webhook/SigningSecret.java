package io.durablejobs.webhook;

import java.util.Base64;

/**
 * A Standard Webhooks signing key: the bytes after {@code whsec_}, base64-decoded. Never printed: its
 * {@link #toString()} is redacted, and parse errors do not echo the value.
 */
public final class SigningSecret {
    public static final String PREFIX = "whsec_";
    public static final int MIN_BYTES = 24;
    public static final int MAX_BYTES = 64;

    private final byte[] key;

    private SigningSecret(byte[] key) {
        this.key = key;
    }

    /**
     * The strict form the platform's setting must have: {@code whsec_} + base64 of 24 to 64 bytes.
     *
     * @throws IllegalArgumentException with a message that does not contain the secret
     */
    public static SigningSecret parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("must be " + PREFIX + " followed by base64");
        }
        byte[] key = decode(text.substring(PREFIX.length()));
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new IllegalArgumentException("key must be " + MIN_BYTES + " to " + MAX_BYTES + " bytes, got " + key.length);
        }
        return new SigningSecret(key);
    }

    /**
     * The lenient form receivers accept, as the reference libraries do: the {@code whsec_} prefix is optional
     * and any non-empty key length is allowed.
     */
    public static SigningSecret lenient(String text) {
        if (text == null) {
            throw new IllegalArgumentException("secret is missing");
        }
        byte[] key = decode(text.startsWith(PREFIX) ? text.substring(PREFIX.length()) : text);
        if (key.length == 0) {
            throw new IllegalArgumentException("secret is empty");
        }
        return new SigningSecret(key);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not valid base64 after " + PREFIX);
        }
    }

    /** A copy of the key bytes. */
    byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "SigningSecret[redacted]";
    }
}
