package io.durablejobs.host;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway (HTTP API, payload format 2.0) in front of the http functions: picks the function serving the
 * request's route ({@link ApiRoutes}), builds the event JSON, invokes one of that function's pooled
 * environments, and turns the result into the HTTP response,
 * with API Gateway's own answers for too-large bodies (413), throttling (429), function errors (500) and
 * timeouts (503). {@code /healthz}, {@code /openapi.json} and {@code /dashboard} belong to the host and never reach the function.
 */
final class ApiGatewayEmulator implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGatewayEmulator.class);
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    static final int MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;

    /** A route's integration: the function and its environments. */
    record Integration(FunctionRuntime function, EnvironmentPool pool) {
    }

    private final ApiRoutes<Integration> routes;
    private final HealthCheck health;
    private final long throttleWaitMillis;
    private final StageThrottle throttle;

    ApiGatewayEmulator(ApiRoutes<Integration> routes, HealthCheck health, long throttleWaitMillis, StageThrottle throttle) {
        this.throttle = throttle;
        this.routes = routes;
        this.health = health;
        this.throttleWaitMillis = throttleWaitMillis;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String requestId = requestId();
        try (exchange) {
            ApiGatewayResponse response = respond(exchange, requestId);
            write(exchange, requestId, response);
        } catch (IOException | RuntimeException | LinkageError e) {
            // The client went away or the host failed; log and keep serving (the server thread must not die).
            LOG.warn("request {} failed in the host: {}", requestId, e.toString());
        }
    }

    private ApiGatewayResponse respond(HttpExchange ex, String requestId) throws IOException {
        URI uri = ex.getRequestURI();
        String path = uri.getRawPath();
        if (path.equals(HostRoutes.HEALTH)) {
            return healthz(ex.getRequestMethod());
        }
        if (path.equals(HostRoutes.OPENAPI)) {
            return HostRoutes.openApi(ex.getRequestMethod());
        }
        if (path.equals("/dashboard") || path.startsWith("/dashboard/")) {
            return ApiGatewayResponse.message(404, "Not Found");
        }
        if (!throttle.admit(ex.getRequestMethod(), path)) {
            return ApiGatewayResponse.message(429, "Too Many Requests");
        }
        Optional<Integration> target = routes.target(ex.getRequestMethod(), path);
        if (target.isEmpty()) {
            drain(ex.getRequestBody());
            return ApiGatewayResponse.message(404, "Not Found");
        }
        byte[] body = readBody(ex.getRequestBody());
        if (body == null) {
            drain(ex.getRequestBody());
            return ApiGatewayResponse.message(413, "Request Entity Too Large");
        }
        String traceId = "Root=1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-"
                + HexFormat.of().formatHex(randomBytes(12));
        ApiGatewayRequest request = new ApiGatewayRequest(ex.getRequestMethod(), path, uri.getRawQuery(), ex.getProtocol(),
                ex.getRequestHeaders(), body, ex.getRemoteAddress(), ex.getLocalAddress().getPort(), Instant.now());
        byte[] event = ApiGatewayEventJson.bytes(request, requestId, traceId);
        if (event.length > MAX_INVOKE_PAYLOAD_BYTES) {
            return ApiGatewayResponse.message(413, "Request Entity Too Large");
        }
        return invoke(target.get(), event, requestId, traceId);
    }

    private ApiGatewayResponse invoke(Integration target, byte[] event, String requestId, String traceId) {
        EnvironmentPool pool = target.pool();
        FunctionRuntime function = target.function();
        Optional<ExecutionEnvironment> env;
        try {
            env = pool.acquire(throttleWaitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiGatewayResponse.message(503, "Service Unavailable");
        }
        if (env.isEmpty()) {
            return ApiGatewayResponse.message(429, "Too Many Requests");
        }
        try {
            InvocationResult result = env.get().invoke(event, requestId, traceId);
            if (result instanceof InvocationResult.Returned r) {
                try {
                    return ApiGatewayResponse.fromFunctionResult(r.json());
                } catch (IOException e) {
                    LOG.warn("request {}: the function's result is not valid JSON", requestId);
                    return ApiGatewayResponse.message(500, "Internal Server Error");
                }
            }
            if (result instanceof InvocationResult.Failed f) {
                LOG.warn("request {}: function {} failed{}", requestId, function.spec().name(),
                        f.duringInit() ? " during init" : "", f.error());
                return ApiGatewayResponse.message(500, "Internal Server Error");
            }
            LOG.warn("request {}: function {} timed out", requestId, function.spec().name());
            return ApiGatewayResponse.message(503, "Service Unavailable");
        } finally {
            pool.release(env.get());
        }
    }

    private ApiGatewayResponse healthz(String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return ApiGatewayResponse.message(405, "Method Not Allowed");
        }
        HealthCheck.Status s = health.check();
        if (s.ok()) {
            return ApiGatewayResponse.json(200, "application/json", "{\"status\":\"ok\",\"broker\":\"up\",\"redis\":\"up\"}");
        }
        String down = !s.brokerUp() && !s.redisUp() ? "RabbitMQ and Redis are" : !s.brokerUp() ? "RabbitMQ is" : "Redis is";
        return ApiGatewayResponse.json(503, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\","
                + "\"status\":503,\"detail\":\"" + down + " not reachable\",\"broker\":\"" + (s.brokerUp() ? "up" : "down")
                + "\",\"redis\":\"" + (s.redisUp() ? "up" : "down") + "\"}");
    }

    /** The body, or null when it is larger than API Gateway accepts. */
    private static byte[] readBody(InputStream in) throws IOException {
        // The front hands over the body it already holds: copied once, not read through 8 KB chunks.
        byte[] body = in instanceof ByteArrayInputStream held ? held.readAllBytes() : in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static void write(HttpExchange ex, String requestId, ApiGatewayResponse r) throws IOException {
        r.headers().forEach((name, values) -> ex.getResponseHeaders().put(name, List.copyOf(values)));
        ex.getResponseHeaders().set("apigw-requestid", requestId);
        boolean noBody = ex.getRequestMethod().equals("HEAD") || r.status() == 204 || r.status() == 304;
        ex.sendResponseHeaders(r.status(), noBody ? -1 : (r.body().length == 0 ? -1 : r.body().length));
        if (!noBody && r.body().length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(r.body());
            }
        }
    }

    /**
     * Reads (a bounded amount of) what is left, so the client gets to read the 413 instead of a reset.
     * read(), not skip(): the JDK server's body stream does not count skipped bytes.
     */
    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = 8L * MAX_BODY_BYTES;
        int n;
        while (left > 0 && (n = in.read(buf)) >= 0) {
            left -= n;
        }
    }

    /**
     * A version 4 UUID from {@link ThreadLocalRandom}: a request id must be unique, not unguessable, and
     * {@code UUID.randomUUID()} draws on the shared {@code SecureRandom} for every request.
     */
    static String requestId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
