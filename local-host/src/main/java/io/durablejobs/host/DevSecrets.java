package io.durablejobs.host;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Dev defaults for the two secrets the functions need: a {@code dev} tenant API key and a webhook
 * signing secret, generated when the environment has none. Which ones were generated is kept so the
 * banner can show those (and only those) to the developer.
 */
record DevSecrets(Map<String, String> env, boolean apiKeyGenerated, boolean signingSecretGenerated) {
    static final String API_KEYS = "JOBS_API_KEYS";
    static final String SIGNING_SECRET = "JOBS_WEBHOOK_SIGNING_SECRET";
    private static final SecureRandom RANDOM = new SecureRandom();

    static DevSecrets fill(Map<String, String> given) {
        Map<String, String> env = new HashMap<>(given);
        boolean key = blank(env.get(API_KEYS));
        if (key) {
            env.put(API_KEYS, "dev=" + Base64.getUrlEncoder().withoutPadding().encodeToString(random(24)));
        }
        boolean secret = blank(env.get(SIGNING_SECRET));
        if (secret) {
            env.put(SIGNING_SECRET, "whsec_" + Base64.getEncoder().encodeToString(random(32)));
        }
        return new DevSecrets(Map.copyOf(env), key, secret);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
