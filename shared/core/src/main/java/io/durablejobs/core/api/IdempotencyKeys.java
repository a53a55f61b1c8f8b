package io.durablejobs.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The {@code Idempotency-Key} header (IETF draft-ietf-httpapi-idempotency-key-header): 1-255 printable
 * ASCII characters, or the draft's Structured Field string form {@code "abc"}. And the request
 * fingerprint: SHA-256 of the canonical request (type, payload with sorted keys, effective priority, and
 * {@code runAt} or {@code delay} and {@code callbackUrl} as asked).
 */
public final class IdempotencyKeys {
    public static final int MAX_LENGTH = 255;
    private static final ObjectMapper CANONICAL = Json.MAPPER.copy().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

    private IdempotencyKeys() {
    }

    /** Empty when the header is absent; throws {@link IllegalArgumentException} with the reason when invalid. */
    public static Optional<String> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String key = header.trim();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
            if (key.contains("\"") || key.contains("\\")) {
                throw new IllegalArgumentException("a quoted key may not contain quotes or backslashes");
            }
        }
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("must be 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("must be printable ASCII");
            }
        }
        return Optional.of(key);
    }

    public static String fingerprint(SubmitRequest r) {
        ObjectNode n = CANONICAL.createObjectNode();
        n.put("type", r.type());
        n.put("priority", r.priority());
        n.set("payload", r.payload());
        // Only when given, so a request without them keeps the fingerprint it had before delays existed.
        if (r.runAt() != null) {
            n.put("runAt", r.runAt().toString());
        }
        if (r.delay() != null) {
            n.put("delay", r.delay().toString());
        }
        if (r.callbackUrl() != null) {
            n.put("callbackUrl", r.callbackUrl());
        }
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(n);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key as stored: hashed, so any printable key is a safe, bounded Redis key part. */
    public static String storageId(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
