package io.durablejobs.contract;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reverse proxy for end-to-end tests that holds every exchange to the OpenAPI description: tests (and
 * clients, and the CLI in a child process) talk to {@link #url()}, the proxy forwards to the host
 * unchanged, checks the request and the response with {@link OpenApiContract}, and keeps every violation.
 * A proxy rather than a wrapped client so that whatever speaks HTTP is checked the same way, without
 * changing the code under test. {@link #close()} does not fail; call {@link #assertKept()} (in
 * {@code @AfterAll}) to fail the test class on any violation.
 */
public final class ContractProxy implements AutoCloseable {
    /** Hop-by-hop headers and those the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    static {
        NOT_FORWARDED.addAll(List.of("connection", "content-length", "host", "upgrade", "expect", "keep-alive",
                "proxy-connection", "te", "trailer", "transfer-encoding", "http2-settings"));
    }

    private final OpenApiContract contract;
    private final URI upstream;
    private final HttpServer server;
    private final ExecutorService threads;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());

    private ContractProxy(OpenApiContract contract, URI upstream) throws IOException {
        this.contract = contract;
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "contract-proxy");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::forward);
        server.start();
    }

    /** Starts a proxy in front of {@code upstream} (e.g. the host's {@code apiUrl()}), checking against the packaged description. */
    public static ContractProxy start(URI upstream) throws IOException {
        return new ContractProxy(OpenApiContract.load(), upstream);
    }

    public static ContractProxy start(URI upstream, OpenApiContract contract) throws IOException {
        return new ContractProxy(contract, upstream);
    }

    /** Where to send requests: {@code http://127.0.0.1:<port>}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    public List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    /** Fails with every violation seen so far, and says how many exchanges were checked. */
    public void assertKept() {
        List<String> v = violations();
        if (!v.isEmpty()) {
            throw new AssertionError(v.size() + " of " + exchanges().size() + " exchanges depart from api/openapi.json:\n  "
                    + String.join("\n  ", v));
        }
        if (exchanges().isEmpty()) {
            throw new AssertionError("no exchange went through the contract proxy: the test is not checking anything");
        }
    }

    private void forward(HttpExchange ex) {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            URI target = URI.create(upstream.toString().replaceAll("/$", "") + ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery()));
            HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            ex.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name)) {
                    values.forEach(v -> b.header(name, v));
                }
            });
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            Map<String, List<String>> responseHeaders = r.headers().map();
            Exchange e = new Exchange(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders(), body, r.statusCode(), responseHeaders, r.body());
            exchanges.add(e);
            violations.addAll(contract.violations(e));
            responseHeaders.forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name) && !name.startsWith(":")) {
                    ex.getResponseHeaders().put(name, values);
                }
            });
            boolean noBody = ex.getRequestMethod().equals("HEAD") || r.statusCode() == 204 || r.statusCode() == 304;
            ex.sendResponseHeaders(r.statusCode(), noBody || r.body().length == 0 ? -1 : r.body().length);
            if (!noBody && r.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        } catch (IOException e) {
            violations.add(ex.getRequestMethod() + " " + ex.getRequestURI() + ": the proxy could not forward it: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            violations.add(ex.getRequestMethod() + " " + ex.getRequestURI() + ": checking failed: " + e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
