package io.durablejobs.webhook;

import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.webhook.ssrf.GuardedDnsResolver;
import io.durablejobs.webhook.ssrf.HostLookup;
import io.durablejobs.webhook.ssrf.TargetAddressPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code webhook.deliver}: POSTs a body to a URL with Standard Webhooks signatures. {@code webhook-id} is
 * the job id, the same on every attempt, so receivers can drop repeats; the timestamp and signature are
 * fresh on every attempt. See the module README for the payload, settings and outcomes.
 */
public final class WebhookDeliverType extends WebhookDeliverSpec {
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

}
