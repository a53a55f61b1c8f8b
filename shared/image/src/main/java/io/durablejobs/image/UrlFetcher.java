package io.durablejobs.image;

import io.durablejobs.core.blob.BoundedBytes;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.webhook.ssrf.GuardedDnsResolver;
import io.durablejobs.webhook.ssrf.RefusedTargetException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * GETs an image source URL under the same SSRF rules as webhooks: every name goes through the webhook
 * module's {@link GuardedDnsResolver} (the checked addresses are the ones connected to), no redirects
 * (a 3xx could lead anywhere), no proxy, no retries inside, a size cap and a time cap. Plain http only
 * where private networks are allowed (local testing).
 */
public final class UrlFetcher implements AutoCloseable {
    static final String USER_AGENT = "durable-jobs-image/1";

    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient http;
    private final Duration timeout;
    private final boolean allowPlainHttp;

    public UrlFetcher(GuardedDnsResolver resolver, Duration timeout, boolean allowPlainHttp) {
        this.timeout = timeout;
        this.allowPlainHttp = allowPlainHttp;
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setMaxConnTotal(16)
                .setMaxConnPerRoute(4)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(timeout))
                        .setSocketTimeout(Timeout.of(timeout))
                        .setTimeToLive(TimeValue.ofMinutes(5))
                        .build())
                .build();
        this.http = HttpClients.custom().setConnectionManager(pool).disableRedirectHandling().disableAutomaticRetries()
                .disableCookieManagement().disableAuthCaching().setUserAgent(USER_AGENT).build();
    }

    public Loaded fetch(URI url, long maxBytes, Duration remaining) {
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && !allowPlainHttp) {
            return failed(Outcome.deadLetter(ImageReasons.SOURCE_REFUSED, "source URLs must be https"));
        }
        Duration cap = remaining.compareTo(timeout) < 0 ? remaining : timeout;
        HttpGet get = new HttpGet(url);
        get.setConfig(RequestConfig.custom().setConnectionRequestTimeout(Timeout.of(cap)).setResponseTimeout(Timeout.of(cap))
                .setRedirectsEnabled(false).build());
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1) : url.getHost();
        HttpHost target = new HttpHost(scheme, host, url.getPort());
        try (ClassicHttpResponse response = http.executeOpen(target, get, HttpClientContext.create())) {
            int status = response.getCode();
            if (status >= 300) {
                get.cancel();
                if (status == 408 || status == 429 || status >= 500) {
                    return failed(Outcome.retry("source URL answered HTTP " + status));
                }
                return failed(Outcome.deadLetter(ImageReasons.SOURCE_NOT_FOUND, "source URL answered HTTP " + status));
            }
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                return failed(Outcome.deadLetter(ImageReasons.INVALID_IMAGE, "source URL answered no body"));
            }
            if (entity.getContentLength() > maxBytes) {
                get.cancel();
                return failed(Outcome.deadLetter(ImageReasons.SOURCE_TOO_LARGE, "source is over " + maxBytes + " bytes"));
            }
            try (InputStream in = entity.getContent()) {
                return new Loaded.Bytes(BoundedBytes.read(in, maxBytes));
            } catch (BoundedBytes.TooLargeException e) {
                get.cancel();
                return failed(Outcome.deadLetter(ImageReasons.SOURCE_TOO_LARGE, "source is over " + maxBytes + " bytes"));
            }
        } catch (RefusedTargetException e) {
            return failed(Outcome.deadLetter(ImageReasons.SOURCE_REFUSED, e.getMessage()));
        } catch (UnknownHostException e) {
            return failed(Outcome.retry("source host does not resolve"));
        } catch (IOException e) {
            return failed(Outcome.retry("fetching the source failed: " + e.getClass().getSimpleName()));
        }
    }

    private static Loaded failed(Outcome o) {
        return new Loaded.Failed(o);
    }

    @Override
    public void close() {
        http.close(CloseMode.IMMEDIATE);
        pool.close(CloseMode.IMMEDIATE);
    }
}
