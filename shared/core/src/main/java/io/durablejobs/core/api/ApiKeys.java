package io.durablejobs.core.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Bearer API keys and the tenant each one stands for. Only SHA-256 digests of the keys are kept, and a
 * presented key is looked up by its digest, so the comparison never leaks a key prefix through timing.
 * No keys configured means every request is refused (deny by default).
 */
public final class ApiKeys {
    public static final Pattern TENANT = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    public static final int MIN_KEY_LENGTH = 16;

    private final Map<String, String> tenantByDigest;

    private ApiKeys(Map<String, String> tenantByDigest) {
        this.tenantByDigest = Map.copyOf(tenantByDigest);
    }

    public static ApiKeys none() {
        return new ApiKeys(Map.of());
    }

    /** Parses {@code tenant=key,tenant2=key2}. */
    public static ApiKeys parse(String spec) {
        Map<String, String> map = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return none();
        }
        for (String pair : spec.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected tenant=key pairs separated by commas");
            }
            String tenant = pair.substring(0, eq).trim();
            String key = pair.substring(eq + 1).trim();
            if (!TENANT.matcher(tenant).matches()) {
                throw new IllegalArgumentException("tenant names must match " + TENANT.pattern());
            }
            if (key.length() < MIN_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("keys must be at least " + MIN_KEY_LENGTH + " printable characters (tenant " + tenant + ")");
            }
            if (map.put(digest(key), tenant) != null) {
                throw new IllegalArgumentException("the same key is given twice");
            }
        }
        return new ApiKeys(map);
    }

    public Optional<String> tenantOf(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > 512) {
            return Optional.empty();
        }
        return Optional.ofNullable(tenantByDigest.get(digest(presentedKey)));
    }

    public int tenantCount() {
        return (int) tenantByDigest.values().stream().distinct().count();
    }

    /**
     * One digest per thread, reset by each use: looking the algorithm up among the security providers for
     * every request cost more than the hash itself.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private static String digest(String key) {
        return HexFormat.of().formatHex(SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
