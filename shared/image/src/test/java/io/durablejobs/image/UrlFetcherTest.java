package io.durablejobs.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.webhook.ssrf.GuardedDnsResolver;
import io.durablejobs.webhook.ssrf.TargetAddressPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** URL sources through the webhook module's SSRF guard, against a real local HTTP server. */
class UrlFetcherTest {
    private HttpServer server;
    private String base;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = new byte[1000];
        server.createContext("/ok", x -> {
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/big", x -> {
            x.sendResponseHeaders(200, 0); // chunked: the size is only known by reading
            for (int i = 0; i < 100; i++) {
                x.getResponseBody().write(body);
            }
            x.close();
        });
        server.createContext("/gone", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        server.createContext("/busy", x -> {
            x.sendResponseHeaders(503, -1);
            x.close();
        });
        server.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static UrlFetcher fetcher(boolean allowPrivate) {
        return new UrlFetcher(new GuardedDnsResolver(TargetAddressPolicy.of(allowPrivate),
                host -> new InetAddress[] {InetAddress.getByName("127.0.0.1")}), Duration.ofSeconds(5), allowPrivate);
    }

    static Loaded fetch(UrlFetcher f, String url, long max) {
        return f.fetch(URI.create(url), max, Duration.ofSeconds(10));
    }

    static String reason(Loaded l) {
        return ((Outcome.DeadLetter) ((Loaded.Failed) l).outcome()).reason();
    }

    @Test
    void privateNetworksAllowed_fetchesTheBytes() {
        try (UrlFetcher f = fetcher(true)) {
            assertThat(((Loaded.Bytes) fetch(f, base + "/ok", 10_000)).bytes()).hasSize(1000);
        }
    }

    @Test
    void plainHttp_isRefused_unlessPrivateNetworksAreAllowed() {
        try (UrlFetcher f = fetcher(false)) {
            assertThat(reason(fetch(f, base + "/ok", 10_000))).isEqualTo(ImageReasons.SOURCE_REFUSED);
        }
    }

    @Test
    void aNameResolvingToLoopback_isRefusedByTheGuard_beforeConnecting() {
        try (UrlFetcher f = fetcher(false)) {
            Loaded l = fetch(f, "https://images.example/a.png", 10_000);
            assertThat(reason(l)).isEqualTo(ImageReasons.SOURCE_REFUSED);
            assertThat(((Outcome.DeadLetter) ((Loaded.Failed) l).outcome()).error()).contains("images.example");
        }
    }

    @Test
    void theMetadataAddress_isRefused_asALiteralToo() {
        try (UrlFetcher f = fetcher(false)) {
            assertThat(reason(fetch(f, "https://169.254.169.254/latest/meta-data/", 10_000))).isEqualTo(ImageReasons.SOURCE_REFUSED);
        }
    }

    @Test
    void redirects_areNotFollowed() {
        try (UrlFetcher f = fetcher(true)) {
            Loaded l = fetch(f, base + "/moved", 10_000);
            assertThat(reason(l)).isEqualTo(ImageReasons.SOURCE_NOT_FOUND);
        }
    }

    @Test
    void statuses_andSize_areClassified() {
        try (UrlFetcher f = fetcher(true)) {
            assertThat(reason(fetch(f, base + "/gone", 10_000))).isEqualTo(ImageReasons.SOURCE_NOT_FOUND);
            assertThat(((Loaded.Failed) fetch(f, base + "/busy", 10_000)).outcome()).isInstanceOf(Outcome.Retry.class);
            assertThat(reason(fetch(f, base + "/ok", 999))).isEqualTo(ImageReasons.SOURCE_TOO_LARGE);
            assertThat(reason(fetch(f, base + "/big", 50_000))).isEqualTo(ImageReasons.SOURCE_TOO_LARGE);
        }
    }
}
