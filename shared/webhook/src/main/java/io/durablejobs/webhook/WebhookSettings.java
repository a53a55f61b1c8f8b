package io.durablejobs.webhook;

import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Map;

/**
 * The worker's settings for {@code webhook.deliver}, read once at start.
 *
 * @param connectTimeout cap on establishing a connection (TCP and TLS)
 * @param timeout        cap on a whole exchange, from asking for a connection to the end of the response
 */
public record WebhookSettings(SigningSecret signingSecret, boolean allowPrivateNetworks, Duration connectTimeout,
                              Duration timeout, int maxConnections) {
    public static final String SIGNING_SECRET = "JOBS_WEBHOOK_SIGNING_SECRET";
    public static final String ALLOW_PRIVATE_NETWORKS = "JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS";
    public static final String CONNECT_TIMEOUT = "JOBS_WEBHOOK_CONNECT_TIMEOUT";
    public static final String TIMEOUT = "JOBS_WEBHOOK_TIMEOUT";
    public static final String MAX_CONNECTIONS = "JOBS_WEBHOOK_MAX_CONNECTIONS";

    public static final String DEFAULT_CONNECT_TIMEOUT = "5s";
    /**
     * Webhook receivers are expected to acknowledge fast and work later (Standard Webhooks, Stripe and GitHub
     * give up after 10 to 30 s); 10 s is generous for an acknowledgement, and it bounds what a hung receiver
     * costs: each call to it holds a slot for at most this long before it counts as failed for its breaker.
     */
    public static final String DEFAULT_TIMEOUT = "10s";
    /** As many as the worker runs at once by default (JOBS_WORKER_CONCURRENCY), so the pool is never the limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** Lambda functions run at most 15 minutes; a longer cap is a typo. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(15);

    /**
     * Reads and checks every setting.
     *
     * @throws ConfigException naming every missing or bad setting (never printing the secret)
     */
    public static WebhookSettings from(Map<String, String> env) {
        Settings s = new Settings(env);
        SigningSecret secret = null;
        String rawSecret = s.string(SIGNING_SECRET, null);
        if (rawSecret == null) {
            s.problem(SIGNING_SECRET + " is required (" + SigningSecret.PREFIX + " followed by base64 of "
                    + SigningSecret.MIN_BYTES + " to " + SigningSecret.MAX_BYTES + " bytes)");
        } else {
            try {
                secret = SigningSecret.parse(rawSecret);
            } catch (IllegalArgumentException e) {
                s.problem(SIGNING_SECRET + "=<redacted>: " + e.getMessage());
            }
        }
        boolean allowPrivate = s.bool(ALLOW_PRIVATE_NETWORKS, false);
        Duration connect = positive(s, CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT);
        Duration timeout = positive(s, TIMEOUT, DEFAULT_TIMEOUT);
        int maxConnections = s.integer(MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS, 1, 10_000);
        s.check();
        return new WebhookSettings(secret, allowPrivate, connect, timeout, maxConnections);
    }

    private static Duration positive(Settings s, String name, String fallback) {
        Duration d = s.duration(name, fallback);
        if (d.isZero() || d.isNegative() || d.compareTo(MAX_TIMEOUT) > 0) {
            s.problem(name + "=" + d + ": must be more than 0 and at most " + MAX_TIMEOUT.toMinutes() + "m");
        }
        return d;
    }

    @Override
    public String toString() {
        return "WebhookSettings[allowPrivateNetworks=" + allowPrivateNetworks + ", connectTimeout=" + connectTimeout
                + ", timeout=" + timeout + ", maxConnections=" + maxConnections + "]";
    }
}
