package io.durablejobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.webhook.ssrf.HostLookup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Delivery against a real HTTP server on 127.0.0.1, through the type's public lifecycle. */
class WebhookDeliveryTest {
    private static final String SECRET = WebhookSettingsTest.secretOf(32);

    private TestReceiver receiver;
    private WebhookDeliverType type;
    private final AtomicInteger lookups = new AtomicInteger();

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new TestReceiver();
    }

    @AfterEach
    void stop() {
        if (type != null) {
            type.close();
        }
        receiver.close();
    }

    @Test
    void postsOnceWithAStandardWebhooksSignatureThatVerifies() {
        type = started(true);
        ObjectNode payload = payload(receiver.url("/hooks/in?x=1"));
        payload.putObject("body").put("event", "invoice.paid").put("amount", 42);
        payload.putObject("headers").put("X-Tenant-Ref", "abc-1");

        Outcome outcome = type.handle(context("job-123", payload, Duration.ofSeconds(10)));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Succeeded.class, s -> {
            assertThat(s.result().get("statusCode").intValue()).isEqualTo(200);
            assertThat(s.result().get("webhookId").textValue()).isEqualTo("job-123");
        });
        assertThat(receiver.received()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/hooks/in?x=1");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"event\":\"invoice.paid\",\"amount\":42}");
            assertThat(r.headers().getFirst("webhook-id")).isEqualTo("job-123");
            assertThat(r.headers().getFirst("Content-Type")).isEqualTo("application/json");
            assertThat(r.headers().getFirst("X-Tenant-Ref")).isEqualTo("abc-1");
            assertThat(Long.parseLong(r.headers().getFirst("webhook-timestamp")))
                    .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
            assertThat(StandardWebhooks.verify(SECRET, r.headers(), r.body(), Duration.ofMinutes(5), Instant.now())).isTrue();
            assertThat(StandardWebhooks.verify(WebhookSettingsTest.secretOf(24), r.headers(), r.body(), Duration.ofMinutes(5), Instant.now())).isFalse();
        });
    }

    @Test
    void keepsTheWebhookIdAcrossAttemptsWithAFreshSignatureEachTime() {
        type = started(true);
        ObjectNode payload = payload(receiver.url("/"));
        payload.put("body", "plain text");

        type.handle(context("job-stable", payload, Duration.ofSeconds(10)));
        type.handle(new JobContext("job-stable", "t1", WebhookDeliverType.NAME, payload, 2, Instant.now().plusSeconds(10)));

        assertThat(receiver.received()).hasSize(2).allSatisfy(r -> {
            assertThat(r.headers().getFirst("webhook-id")).isEqualTo("job-stable");
            assertThat(r.headers().getFirst("Content-Type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("plain text");
            assertThat(StandardWebhooks.verify(SECRET, r.headers(), r.body(), Duration.ofMinutes(5), Instant.now())).isTrue();
        });
    }

    @Test
    void deadLettersWhenTheEndpointIsGone() {
        type = started(true);
        receiver.respondWith(TestReceiver.status(410));

        assertThat(type.handle(context("j", payload(receiver.url("/")), Duration.ofSeconds(10))))
                .isEqualTo(new Outcome.DeadLetter("endpoint_gone", "HTTP 410"));
    }

    @Test
    void retriesAfterTheServersRetryAfter() {
        type = started(true);
        receiver.respondWith(exchange -> {
            exchange.getResponseHeaders().add("Retry-After", "7");
            exchange.sendResponseHeaders(503, -1);
        });

        assertThat(type.handle(context("j", payload(receiver.url("/")), Duration.ofSeconds(10))))
                .isEqualTo(new Outcome.Retry("HTTP 503", Duration.ofSeconds(7)));
    }

    @Test
    void doesNotFollowRedirects() {
        type = started(true);
        receiver.respondWith(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/first")) {
                exchange.getResponseHeaders().add("Location", receiver.url("/second"));
                exchange.sendResponseHeaders(302, -1);
            } else {
                exchange.sendResponseHeaders(200, -1);
            }
        });

        Outcome outcome = type.handle(context("j", payload(receiver.url("/first")), Duration.ofSeconds(10)));

        assertThat(outcome).isEqualTo(new Outcome.DeadLetter("redirect_refused", "HTTP 302"));
        assertThat(receiver.received()).extracting(TestReceiver.Received::path).containsExactly("/first");
    }

    @Test
    void deadLettersClientErrors() {
        type = started(true);
        receiver.respondWith(TestReceiver.status(404));

        assertThat(type.handle(context("j", payload(receiver.url("/")), Duration.ofSeconds(10))))
                .isEqualTo(new Outcome.DeadLetter("client_error", "HTTP 404"));
    }

    @Test
    void retriesQuicklyWhenTheServerOutlivesTheDeadline() {
        type = started(true);
        receiver.respondWith(exchange -> {
            Thread.sleep(10_000);
            exchange.sendResponseHeaders(200, -1);
        });

        long start = System.nanoTime();
        Outcome outcome = type.handle(context("j", payload(receiver.url("/")), Duration.ofMillis(500)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Retry.class, r -> assertThat(r.error()).startsWith("timeout"));
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void capsAWholeExchangeThatTricklesSlowly() throws Exception {
        type = started(true, Map.of("JOBS_WEBHOOK_TIMEOUT", "1s"));
        try (ServerSocket trickler = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> trickleStatusLine(trickler));
            server.setDaemon(true);
            server.start();

            long start = System.nanoTime();
            Outcome outcome = type.handle(context("j", payload("http://127.0.0.1:" + trickler.getLocalPort() + "/"), Duration.ofSeconds(20)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(outcome).isInstanceOfSatisfying(Outcome.Retry.class, r -> assertThat(r.error()).startsWith("timeout"));
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
        }
    }

    @Test
    void stopsReadingAnEndlessResponseBody() {
        type = started(true);
        receiver.respondWith(exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, never ends
            OutputStream out = exchange.getResponseBody();
            byte[] chunk = new byte[16 * 1024];
            while (true) {
                out.write(chunk);
            }
        });

        long start = System.nanoTime();
        Outcome outcome = type.handle(context("j", payload(receiver.url("/")), Duration.ofSeconds(20)));

        assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void retriesWhenNoTimeRemainsWithoutSending() {
        type = started(true);

        Outcome outcome = type.handle(new JobContext("j", "t1", WebhookDeliverType.NAME, payload(receiver.url("/")), 1,
                Instant.now().minusSeconds(1)));

        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void refusesALoopbackTargetWhenPrivateNetworksAreNotAllowed() {
        type = started(false);

        Outcome outcome = type.handle(context("j", payload(receiver.url("/")), Duration.ofSeconds(10)));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> {
            assertThat(d.reason()).isEqualTo("forbidden_target");
            assertThat(d.error()).contains("loopback");
        });
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void refusesLocalhostByNameWhenPrivateNetworksAreNotAllowed() {
        type = started(false, Map.of(), HostLookup.SYSTEM);

        Outcome outcome = type.handle(context("j", payload("http://localhost:" + receiver.port() + "/"), Duration.ofSeconds(10)));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> assertThat(d.reason()).isEqualTo("forbidden_target"));
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void refusesIpv6AndMappedLoopbackLiterals() {
        type = started(false);

        for (String url : new String[] {"http://[::1]:" + receiver.port() + "/", "http://[::ffff:127.0.0.1]:" + receiver.port() + "/"}) {
            assertThat(type.handle(context("j", payload(url), Duration.ofSeconds(10))))
                    .as(url).isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> assertThat(d.reason()).isEqualTo("forbidden_target"));
        }
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void refusesANameThatResolvesToAnyPrivateAddress() {
        type = started(false, Map.of(), host -> new InetAddress[] {
            InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14}),
            InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})});

        Outcome outcome = type.handle(context("j", payload("http://rebind.example:" + receiver.port() + "/"), Duration.ofSeconds(10)));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> assertThat(d.reason()).isEqualTo("forbidden_target"));
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void connectsToTheAddressItCheckedAndKeepsTheHostName() {
        type = started(true, Map.of(), host -> {
            lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1})};
        });

        Outcome outcome = type.handle(context("j", payload("http://hooks.example:" + receiver.port() + "/in"), Duration.ofSeconds(10)));

        assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
        assertThat(lookups).hasValue(1);
        assertThat(receiver.received()).singleElement()
                .satisfies(r -> assertThat(r.headers().getFirst("Host")).isEqualTo("hooks.example:" + receiver.port()));
    }

    @Test
    void deliversToAnIpv6LiteralWithABracketedHostHeader() throws IOException {
        com.sun.net.httpserver.HttpServer v6;
        try {
            v6 = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(InetAddress.getByName("::1"), 0), 0);
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback on this machine: " + e.getMessage());
            return;
        }
        java.util.List<String> hosts = new java.util.concurrent.CopyOnWriteArrayList<>();
        v6.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        v6.start();
        try {
            type = started(true);
            int port = v6.getAddress().getPort();

            Outcome outcome = type.handle(context("j", payload("http://[::1]:" + port + "/"), Duration.ofSeconds(10)));

            assertThat(outcome).isInstanceOf(Outcome.Succeeded.class);
            assertThat(hosts).containsExactly("[::1]:" + port);
        } finally {
            v6.stop(0);
        }
    }

    @Test
    void retriesWhenTheHostDoesNotResolve() {
        type = started(false, Map.of(), host -> {
            throw new UnknownHostException(host);
        });

        assertThat(type.handle(context("j", payload("https://nowhere.example/"), Duration.ofSeconds(10))))
                .isEqualTo(Outcome.retry("unknown host"));
    }

    @Test
    void retriesWhenTheConnectionIsRefused() throws IOException {
        type = started(true);
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }

        Outcome outcome = type.handle(context("j", payload("http://127.0.0.1:" + closedPort + "/"), Duration.ofSeconds(10)));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Retry.class, r -> assertThat(r.error()).startsWith("I/O error"));
    }

    @Test
    void deadLettersAPayloadThatSkippedValidation() {
        type = started(true);
        ObjectNode bad = Json.MAPPER.createObjectNode().put("url", "ftp://x.example/").put("body", "x");

        assertThat(type.handle(context("j", bad, Duration.ofSeconds(10))))
                .isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> assertThat(d.reason()).isEqualTo("invalid_payload"));
    }

    @Test
    void refusesToHandleBeforeStart() {
        WebhookDeliverType notStarted = new WebhookDeliverType();
        assertThatThrownBy(() -> notStarted.handle(context("j", payload(receiver.url("/")), Duration.ofSeconds(1))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void failsToStartWithoutASigningSecret() {
        assertThatThrownBy(() -> new WebhookDeliverType().start(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("JOBS_WEBHOOK_SIGNING_SECRET");
    }

    @Test
    void isFoundByTheServiceLoaderWithItsRetryPolicy() {
        assertThat(JobTypeRegistry.fromServiceLoader().find("webhook.deliver")).get().satisfies(t -> {
            assertThat(t).isInstanceOf(WebhookDeliverType.class);
            assertThat(t.retryPolicy().maxAttempts()).isEqualTo(8);
            assertThat(t.retryPolicy().baseDelay()).isEqualTo(Duration.ofSeconds(1));
            assertThat(t.retryPolicy().maxDelay()).isEqualTo(Duration.ofMinutes(10));
        });
    }

    private WebhookDeliverType started(boolean allowPrivate) {
        return started(allowPrivate, Map.of());
    }

    private WebhookDeliverType started(boolean allowPrivate, Map<String, String> more) {
        return started(allowPrivate, more, HostLookup.SYSTEM);
    }

    private WebhookDeliverType started(boolean allowPrivate, Map<String, String> more, HostLookup lookup) {
        WebhookDeliverType t = new WebhookDeliverType(Clock.systemUTC(), lookup);
        Map<String, String> env = new HashMap<>(more);
        env.put("JOBS_WEBHOOK_SIGNING_SECRET", SECRET);
        env.put("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", Boolean.toString(allowPrivate));
        t.start(env);
        return t;
    }

    private static ObjectNode payload(String url) {
        return Json.MAPPER.createObjectNode().put("url", url).put("body", "{}");
    }

    private static JobContext context(String jobId, ObjectNode payload, Duration timeLeft) {
        return new JobContext(jobId, "t1", WebhookDeliverType.NAME, payload, 1, Instant.now().plus(timeLeft));
    }

    /** Accepts one connection and sends a status line a byte at a time, slower than any cap. */
    private static void trickleStatusLine(ServerSocket server) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            in.read(new byte[8192]);
            OutputStream out = s.getOutputStream();
            for (byte b : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException e) {
            // The client gave up, as it should.
        }
    }
}
