package io.durablejobs.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda Runtime API (2018-06-01) for one execution environment, as the runtime interface client
 * speaks it: {@code GET /runtime/invocation/next} long-polls for the next event (always with
 * {@code Content-Type: application/json} and the {@code Lambda-Runtime-*} headers, without which the
 * client's native part crashes), {@code POST .../{id}/response}, {@code .../{id}/error},
 * {@code /runtime/init/error}.
 */
final class RuntimeApiEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeApiEndpoint.class);
    private static final String PREFIX = "/2018-06-01/runtime/";

    /** One event handed to the runtime; {@code pickedUp} completes when it asks for it. */
    record Invocation(String requestId, byte[] event, String traceId, long timeoutMillis, String functionArn,
                      CompletableFuture<Long> pickedUp, CompletableFuture<InvocationResult> result) {
    }

    /** What the runtime reported as a function error: its {@code errorType} and {@code errorMessage}. */
    static final class RuntimeReportedError extends RuntimeException {
        RuntimeReportedError(String report) {
            super(report);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final AtomicReference<Invocation> current = new AtomicReference<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private volatile boolean closed;

    RuntimeApiEndpoint(String name) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "runtime-api-" + name);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    void offer(Invocation invocation) {
        pending.add(invocation);
    }

    Invocation current() {
        return current.get();
    }

    CompletableFuture<String> initError() {
        return initError;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().substring(PREFIX.length());
            byte[] body = ex.getRequestBody().readAllBytes();
            if (ex.getRequestMethod().equals("GET") && path.equals("invocation/next")) {
                next(ex);
            } else if (ex.getRequestMethod().equals("POST") && path.startsWith("invocation/") && path.endsWith("/response")) {
                complete(path, new InvocationResult.Returned(body));
                reply(ex, 202, "{\"status\":\"OK\"}");
            } else if (ex.getRequestMethod().equals("POST") && path.startsWith("invocation/") && path.endsWith("/error")) {
                String type = ex.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
                complete(path, new InvocationResult.Failed(new RuntimeReportedError(type + ": "
                        + new String(body, StandardCharsets.UTF_8)), false));
                reply(ex, 202, "{\"status\":\"OK\"}");
            } else if (ex.getRequestMethod().equals("POST") && path.equals("init/error")) {
                initError.complete(new String(body, StandardCharsets.UTF_8));
                reply(ex, 202, "{\"status\":\"OK\"}");
            } else {
                reply(ex, 404, "{\"errorMessage\":\"unknown runtime API route\",\"errorType\":\"InvalidRequest\"}");
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("runtime API request failed: {}", e.toString());
        }
    }

    private void next(HttpExchange ex) throws IOException {
        Invocation inv = null;
        try {
            while (inv == null && !closed) {
                inv = pending.poll(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inv == null) {
            return; // closing: the runtime's connection drops and it exits
        }
        long deadline = System.currentTimeMillis() + inv.timeoutMillis();
        current.set(inv);
        var h = ex.getResponseHeaders();
        h.set("Content-Type", "application/json");
        h.set("Lambda-Runtime-Aws-Request-Id", inv.requestId());
        h.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
        h.set("Lambda-Runtime-Invoked-Function-Arn", inv.functionArn());
        h.set("Lambda-Runtime-Trace-Id", inv.traceId() != null ? inv.traceId() : "Root=1-00000000-000000000000000000000000;Sampled=0");
        ex.sendResponseHeaders(200, inv.event().length == 0 ? -1 : inv.event().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(inv.event());
        }
        inv.pickedUp().complete(deadline);
    }

    private void complete(String path, InvocationResult result) {
        String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
        Invocation inv = current.get();
        if (inv != null && inv.requestId().equals(id)) {
            inv.result().complete(result);
        } else {
            LOG.debug("runtime reported on unknown or finished invocation {}", id);
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
