package io.durablejobs.host;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.durablejobs.webhook.SigningSecret;
import io.durablejobs.webhook.StandardWebhooks;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook receiver for a laptop ({@code ./dev receiver}): it answers every POST with 200 and prints one
 * line per delivery: the Standard Webhooks id and timestamp, whether the signature verifies against the
 * dev signing key, the content type and the body's size. It never prints the body (a payload may hold
 * anything) nor the signature. Listens on loopback only. The JDK's server is enough here: one developer's
 * test traffic, no TLS, no keep-alive tuning.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** Bodies larger than this are refused with 413 rather than buffered. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpServer server;
    private final String signingSecret;
    private final PrintStream out;
    private final Clock clock;
    private final AtomicLong count = new AtomicLong();

    private WebhookReceiver(HttpServer server, String signingSecret, PrintStream out, Clock clock) {
        this.server = server;
        this.signingSecret = signingSecret;
        this.out = out;
        this.clock = clock;
    }

    /** Listens on 127.0.0.1:{@code port} (0 = any free port); {@code signingSecret} may be null (not verified). */
    static WebhookReceiver start(int port, String signingSecret, PrintStream out, Clock clock) throws IOException {
        if (signingSecret != null) {
            SigningSecret.lenient(signingSecret); // a malformed key is refused at start, not on the first delivery
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        WebhookReceiver receiver = new WebhookReceiver(server, signingSecret, out, clock);
        server.createContext("/", receiver::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return receiver;
    }

    int port() {
        return server.getAddress().getPort();
    }

    long deliveries() {
        return count.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "POST");
                ex.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                ex.sendResponseHeaders(413, -1);
                return;
            }
            out.println(describe(ex.getRequestURI().getPath(), ex.getRequestHeaders(), body));
            count.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
        }
    }

    /** One line: what a receiver checks before trusting a delivery. */
    String describe(String path, Headers headers, byte[] body) {
        Instant now = clock.instant();
        String signature;
        if (signingSecret == null) {
            signature = "not checked (no signing key: set JOBS_WEBHOOK_SIGNING_SECRET)";
        } else if (headers.getFirst(StandardWebhooks.SIGNATURE_HEADER) == null) {
            signature = "MISSING";
        } else {
            signature = StandardWebhooks.verify(signingSecret, headers, body, StandardWebhooks.DEFAULT_TOLERANCE, now)
                    ? "valid" : "INVALID (wrong key, altered body, or timestamp off by more than 5 min)";
        }
        return "POST " + path
                + "  webhook-id=" + orDash(headers.getFirst(StandardWebhooks.ID_HEADER))
                + "  webhook-timestamp=" + orDash(headers.getFirst(StandardWebhooks.TIMESTAMP_HEADER))
                + "  signature " + signature
                + "  content-type=" + orDash(headers.getFirst("Content-Type"))
                + "  body " + body.length + " bytes";
    }

    private static String orDash(String v) {
        return v == null ? "-" : v;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** {@code java -cp local-host.jar io.durablejobs.host.WebhookReceiver [port]}; the key from the environment. */
    public static void main(String[] args) throws Exception {
        int port = 9000;
        if (args.length > 0) {
            try {
                port = Integer.parseInt(args[0]);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                System.err.println("receiver: port must be a number between 0 and 65535, got " + args[0]);
                System.exit(2);
            }
        }
        String secret = System.getenv("JOBS_WEBHOOK_SIGNING_SECRET");
        secret = secret == null || secret.isBlank() ? null : secret.trim();
        WebhookReceiver receiver;
        try {
            receiver = start(port, secret, System.out, Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            System.err.println("receiver: JOBS_WEBHOOK_SIGNING_SECRET: " + e.getMessage());
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println("receiver: cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                    + "); pass another port: ./dev receiver PORT");
            System.exit(2);
            return;
        }
        System.out.println("webhook receiver on http://127.0.0.1:" + receiver.port() + "/  (any path; answers 200; "
                + (secret == null ? "signatures not checked" : "signatures checked with the dev signing key") + "); Ctrl-C stops it");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(receiver::close, "receiver-stop"));
        Thread.currentThread().join();
    }
}
