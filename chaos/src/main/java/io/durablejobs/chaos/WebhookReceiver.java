package io.durablejobs.chaos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The downstream of the run's webhook jobs, on 127.0.0.1: records every delivery's {@code webhook-id} (the
 * side effect, counted per job) and answers by path: {@code /ok/*} 204, or 503 for a share of deliveries so
 * retries happen; {@code /gone/*} 404 (a permanent failure: the job dead-letters); {@code /hold/*} receives,
 * then holds its answer until {@link #release()} (so a test can kill the worker after the side effect).
 * Never looks at or keeps bodies.
 */
final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads;
    private final double unavailableShare;
    private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong answered503 = new AtomicLong();
    private final AtomicLong withoutId = new AtomicLong();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private WebhookReceiver(double unavailableShare) throws IOException {
        this.unavailableShare = unavailableShare;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        this.threads = Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "receiver");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** @param unavailableShare share of {@code /ok} deliveries answered 503 (0..1) */
    static WebhookReceiver start(double unavailableShare) throws IOException {
        WebhookReceiver r = new WebhookReceiver(unavailableShare);
        r.server.start();
        return r;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            String path = ex.getRequestURI().getPath();
            total.incrementAndGet();
            if (id == null) {
                withoutId.incrementAndGet();
            } else {
                deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
            int status;
            if (path.startsWith("/gone/")) {
                status = 404;
            } else if (path.startsWith("/hold/") && held.getCount() > 0) {
                held.countDown();
                awaitRelease();
                status = 204;
            } else if (path.startsWith("/ok/") && ThreadLocalRandom.current().nextDouble() < unavailableShare) {
                answered503.incrementAndGet();
                status = 503;
            } else {
                status = 204;
            }
            if (status == 204 && id != null) {
                accepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
            ex.sendResponseHeaders(status, -1);
        }
    }

    private void awaitRelease() {
        try {
            release.await(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until a {@code /hold/} delivery arrived and is being held. */
    boolean awaitHeld(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    void release() {
        release.countDown();
    }

    /** Deliveries per webhook-id (every POST received, whatever the answer). */
    Map<String, AtomicInteger> deliveries() {
        return deliveries;
    }

    /** Deliveries answered 204 per webhook-id. */
    Map<String, AtomicInteger> acceptedDeliveries() {
        return accepted;
    }

    long total() {
        return total.get();
    }

    long answered503() {
        return answered503.get();
    }

    long withoutId() {
        return withoutId.get();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
