package io.durablejobs.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signing and verifying as the Standard Webhooks specification has it (https://www.standardwebhooks.com,
 * symmetric {@code v1} scheme): the signature is base64 of HMAC-SHA256, keyed with the base64-decoded
 * secret after {@code whsec_}, over {@code "{webhook-id}.{webhook-timestamp}.{body}"}, and is sent as
 * {@code webhook-signature: v1,<signature>}. Several space-separated signatures may be sent (key rotation).
 *
 * <p>Kept in main code, with no dependency beyond the JDK, so that other modules' test receivers verify
 * exactly what the platform sends.
 */
public final class StandardWebhooks {
    public static final String ID_HEADER = HeaderRules.ID_HEADER;
    public static final String TIMESTAMP_HEADER = HeaderRules.TIMESTAMP_HEADER;
    public static final String SIGNATURE_HEADER = HeaderRules.SIGNATURE_HEADER;
    /** The tolerance the specification's reference libraries use. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";

    private StandardWebhooks() {
    }

    /**
     * The {@code webhook-signature} header value for one message, e.g. {@code v1,g0hM9SsE+...=}.
     *
     * @param secret {@code whsec_...} (the prefix is optional here)
     */
    public static String sign(String secret, String id, long timestampSeconds, String body) {
        return sign(SigningSecret.lenient(secret), id, timestampSeconds, body.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #sign(String, String, long, String)}, over the exact body bytes sent. */
    public static String sign(SigningSecret secret, String id, long timestampSeconds, byte[] body) {
        return VERSION + "," + Base64.getEncoder().encodeToString(mac(secret, id, timestampSeconds, body));
    }

    /**
     * Checks a received webhook: the three headers are present, the timestamp is within {@code tolerance}
     * of {@code now} (either way, so old and future-dated messages are both refused), and at least one
     * {@code v1} signature matches, compared in constant time.
     *
     * @param headers as a server receives them, e.g. {@code com.sun.net.httpserver.Headers}; names are
     *                matched case-insensitively and the first value is used
     * @param body    the raw body bytes as received
     * @return whether the webhook is authentic and fresh
     * @throws IllegalArgumentException when {@code secret} itself is malformed (a bug, not a bad message)
     */
    public static boolean verify(String secret, Map<String, ? extends Collection<String>> headers, byte[] body,
                                 Duration tolerance, Instant now) {
        SigningSecret key = SigningSecret.lenient(secret);
        return verify(key, first(headers, ID_HEADER), first(headers, TIMESTAMP_HEADER), first(headers, SIGNATURE_HEADER),
                body, tolerance, now);
    }

    /** As the other {@code verify}, for single-valued headers and a body read as UTF-8 text. */
    public static boolean verify(String secret, Map<String, String> headers, String body, Duration tolerance, Instant now) {
        SigningSecret key = SigningSecret.lenient(secret);
        return verify(key, single(headers, ID_HEADER), single(headers, TIMESTAMP_HEADER), single(headers, SIGNATURE_HEADER),
                body.getBytes(StandardCharsets.UTF_8), tolerance, now);
    }

    private static boolean verify(SigningSecret key, String id, String timestamp, String signatures, byte[] body,
                                  Duration tolerance, Instant now) {
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        long skew = Math.abs(now.getEpochSecond() - seconds);
        if (skew > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = Base64.getEncoder().encode(mac(key, id, seconds, body));
        boolean matched = false;
        for (String candidate : signatures.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !candidate.substring(0, comma).equals(VERSION)) {
                continue;
            }
            byte[] given = candidate.substring(comma + 1).getBytes(StandardCharsets.US_ASCII);
            // Check every candidate, so the time taken does not tell which position matched.
            matched |= MessageDigest.isEqual(expected, given);
        }
        return matched;
    }

    private static byte[] mac(SigningSecret secret, String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.key(), ALGORITHM));
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    private static String first(Map<String, ? extends Collection<String>> headers, String name) {
        for (Map.Entry<String, ? extends Collection<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name)
                    && e.getValue() != null && !e.getValue().isEmpty()) {
                return e.getValue().iterator().next();
            }
        }
        return null;
    }

    private static String single(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().toLowerCase(Locale.ROOT).equals(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}
