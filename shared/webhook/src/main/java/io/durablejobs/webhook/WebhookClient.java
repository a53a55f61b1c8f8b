package io.durablejobs.webhook;

import io.durablejobs.webhook.ssrf.GuardedDnsResolver;
import io.durablejobs.webhook.ssrf.RefusedTargetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * One Apache HttpClient 5 (classic, pooled) per execution environment, set up for delivering webhooks to
 * other people's servers: every name goes through the {@link GuardedDnsResolver}, no redirects, no
 * automatic retries (the job's retry policy decides), no cookies, no content decoding, no proxy, and a
 * cap on every phase. It reports facts ({@link Delivery}); judging them is {@link DeliveryClassifier}'s job.
 */
final class WebhookClient implements AutoCloseable {
    /** How much of a response body is read (and discarded) before the connection is given up instead. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    static final String USER_AGENT = "durable-jobs-webhook/1";

    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient http;
    private final ExchangeWatchdog watchdog = new ExchangeWatchdog();
    private final Duration connectTimeout;
    private final Duration timeout;

    WebhookClient(Duration connectTimeout, Duration timeout, int maxConnections, GuardedDnsResolver resolver) {
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(millis(connectTimeout))
                        .setSocketTimeout(millis(timeout))
                        // Pooled connections were checked when opened; a bounded life lets DNS changes in.
                        .setTimeToLive(TimeValue.ofMinutes(5))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(pool)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent(USER_AGENT)
                .build();
    }

    /**
     * POSTs {@code body} to {@code url} with {@code headers}, giving up after {@code remaining} at most.
     *
     * @param host      the URL's host without IPv6 brackets
     * @param remaining time left before the job's deadline; every timeout is capped by it
     */
    @SuppressWarnings("deprecation") // a per-request connect timeout is still honoured, and needed for the deadline
    Delivery post(URI url, String host, Map<String, String> headers, byte[] body, Duration remaining) {
        Duration cap = min(timeout, remaining);
        HttpPost post = new HttpPost(url);
        post.setConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(millis(cap))
                .setConnectTimeout(millis(min(connectTimeout, cap)))
                .setResponseTimeout(millis(cap))
                .setRedirectsEnabled(false)
                .setProtocolUpgradeEnabled(false)
                .build());
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, null)); // Content-Type is among the headers, verbatim
        // A target without a pre-set address: the name (or IP literal) always goes through the guarded resolver.
        HttpHost target = new HttpHost(url.getScheme().toLowerCase(Locale.ROOT), host, url.getPort());

        try (ExchangeWatchdog.Alarm alarm = watchdog.arm(post, cap)) {
            try {
                ClassicHttpResponse response = http.executeOpen(target, post, HttpClientContext.create());
                try {
                    Header retryAfter = response.getFirstHeader("Retry-After");
                    int status = response.getCode();
                    discardBody(response.getEntity(), post);
                    return new Delivery.Responded(status, retryAfter == null ? null : retryAfter.getValue());
                } finally {
                    closeQuietly(response);
                }
            } catch (RefusedTargetException e) {
                return new Delivery.Refused(e.host(), e.address(), e.scope());
            } catch (UnknownHostException e) {
                return new Delivery.UnknownHost(host);
            } catch (ConnectTimeoutException e) {
                return new Delivery.TimedOut("connect");
            } catch (InterruptedIOException e) {
                return new Delivery.TimedOut(alarm.fired() ? "exchange over " + cap.toMillis() + " ms" : "response");
            } catch (IOException e) {
                if (alarm.fired()) {
                    return new Delivery.TimedOut("exchange over " + cap.toMillis() + " ms");
                }
                return new Delivery.Failed("I/O error: " + e.getClass().getSimpleName() + ": " + clip(e.getMessage()));
            }
        }
    }

    /**
     * Reads up to {@link #MAX_RESPONSE_BYTES} so a short answer leaves the connection reusable. A longer one
     * is not read on (closing its stream would read it to the end): the request is cancelled, which
     * discards the connection. The status is already known, so failures here do not change the result.
     */
    private static void discardBody(HttpEntity entity, HttpPost post) {
        if (entity == null) {
            return;
        }
        try {
            InputStream in = entity.getContent();
            byte[] buffer = new byte[8192];
            long total = 0;
            while (total <= MAX_RESPONSE_BYTES) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                total += n;
            }
            post.cancel();
        } catch (IOException | RuntimeException e) {
            post.cancel();
        }
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException | RuntimeException ignored) {
            // The connection is discarded either way; nothing to tell.
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Timeout millis(Duration d) {
        return Timeout.ofMilliseconds(Math.max(1, d.toMillis()));
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Override
    public void close() {
        watchdog.close();
        http.close(CloseMode.IMMEDIATE);
        pool.close(CloseMode.IMMEDIATE);
    }
}
