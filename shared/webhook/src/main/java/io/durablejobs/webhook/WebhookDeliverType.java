package io.durablejobs.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.retry.RetryPolicy;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.webhook.ssrf.GuardedDnsResolver;
import io.durablejobs.webhook.ssrf.HostLookup;
import io.durablejobs.webhook.ssrf.TargetAddressPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code webhook.deliver}: POSTs a body to a URL with Standard Webhooks signatures. {@code webhook-id} is
 * the job id, the same on every attempt, so receivers can drop repeats; the timestamp and signature are
 * fresh on every attempt. See the module README for the payload, settings and outcomes.
 */
public final class WebhookDeliverType implements JobType {
    public static final String NAME = "webhook.deliver";
    /** Receivers are often down for minutes (deploys, restarts): more attempts than the default, same cap. */
    public static final RetryPolicy RETRY_POLICY = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofMinutes(10));

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliverType.class);

    private final Clock clock;
    private final HostLookup lookup;
    private volatile Started started;

    /** What {@link #start} builds; null until then. */
    private record Started(WebhookSettings settings, WebhookClient client) {
    }

    /** Cheap and settings-free: the submit function constructs every type only to call {@link #validate}. */
    public WebhookDeliverType() {
        this(Clock.systemUTC(), HostLookup.SYSTEM);
    }

    /** For tests: a fixed or settable clock, and a fake name lookup. */
    public WebhookDeliverType(Clock clock, HostLookup lookup) {
        this.clock = clock;
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<FieldError> validate(JsonNode payload) {
        return WebhookPayload.validate(payload);
    }

    /**
     * One circuit breaker and bulkhead per target: {@code webhook:<host>} (lower case), with {@code :<port>}
     * when the URL names one, since two ports of one host are usually two services.
     */
    @Override
    public String downstream(JsonNode payload) {
        JsonNode url = payload.get("url");
        if (url == null || !url.isTextual()) {
            return null;
        }
        try {
            java.net.URI uri = java.net.URI.create(url.asText());
            String host = uri.getHost();
            if (host == null) {
                return null;
            }
            return "webhook:" + host.toLowerCase(java.util.Locale.ROOT) + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Reads the settings and builds the HTTP client.
     *
     * @throws io.durablejobs.core.config.ConfigException naming every missing or bad setting
     * @throws IllegalStateException when already started
     */
    @Override
    public synchronized void start(Map<String, String> env) {
        if (started != null) {
            throw new IllegalStateException(NAME + " is already started");
        }
        WebhookSettings settings = WebhookSettings.from(env);
        GuardedDnsResolver resolver = new GuardedDnsResolver(TargetAddressPolicy.of(settings.allowPrivateNetworks()), lookup);
        WebhookClient client = new WebhookClient(settings.connectTimeout(), settings.timeout(), settings.maxConnections(), resolver);
        started = new Started(settings, client);
        LOG.info("{} started: {}", NAME, settings);
    }

    @Override
    public Outcome handle(JobContext ctx) {
        Started s = started;
        if (s == null) {
            throw new IllegalStateException(NAME + ": start() was not called");
        }
        WebhookPayload payload;
        try {
            payload = WebhookPayload.from(ctx.payload());
        } catch (IllegalArgumentException e) {
            return Outcome.deadLetter(DeliveryReasons.INVALID_PAYLOAD, e.getMessage());
        }
        Instant now = clock.instant();
        Duration remaining = ctx.remaining(now);
        if (remaining.toMillis() < 1) {
            return Outcome.retry("no time left before the deadline");
        }

        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>(payload.headers());
        headers.put("Content-Type", payload.contentType());
        headers.put(StandardWebhooks.ID_HEADER, ctx.jobId());
        headers.put(StandardWebhooks.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(StandardWebhooks.SIGNATURE_HEADER,
                StandardWebhooks.sign(s.settings().signingSecret(), ctx.jobId(), timestamp, payload.body()));

        long startedAt = System.nanoTime();
        Delivery delivery = s.client().post(payload.url(), payload.host(), headers, payload.body(), remaining);
        long millis = (System.nanoTime() - startedAt) / 1_000_000;
        log(ctx, payload, delivery, millis);
        return DeliveryClassifier.classify(delivery, ctx.jobId(), clock.instant());
    }

    /** Host, status and timing only: never the URL's path or query, the body, or header values. */
    private static void log(JobContext ctx, WebhookPayload payload, Delivery delivery, long millis) {
        if (delivery instanceof Delivery.Refused r) {
            LOG.warn("webhook target refused jobId={} attempt={} host={} address={} scope={}",
                    ctx.jobId(), ctx.attempt(), r.host(), r.address(), r.scope());
        } else if (delivery instanceof Delivery.Responded r) {
            LOG.debug("webhook answered jobId={} attempt={} host={} status={} ms={}",
                    ctx.jobId(), ctx.attempt(), payload.url().getHost(), r.statusCode(), millis);
        } else {
            LOG.debug("webhook not delivered jobId={} attempt={} host={} ms={} result={}",
                    ctx.jobId(), ctx.attempt(), payload.url().getHost(), millis, delivery);
        }
    }

    @Override
    public synchronized void close() {
        Started s = started;
        started = null;
        if (s != null) {
            s.client().close();
        }
    }

    @Override
    public RetryPolicy retryPolicy() {
        return RETRY_POLICY;
    }
}
