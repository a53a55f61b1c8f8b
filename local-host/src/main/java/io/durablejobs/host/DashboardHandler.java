package io.durablejobs.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.durablejobs.adapters.ledger.RedisLedger;
import io.durablejobs.adapters.metrics.RedisMetricsView;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.core.api.ApiKeys;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's dashboard: {@code /dashboard} serves a page (plain HTML and JS, no build step) and
 * {@code /dashboard/api/overview} the numbers it polls. The overview takes the API's bearer key and shows
 * the key's tenant its own jobs in flight, plus what is shared and names no tenant: queue depths and
 * consumers, and the metrics view (where functions' metrics go locally). Breaker states are not shown: a
 * breaker is named after a downstream host that any tenant's webhooks may target, so the list would tell
 * one tenant where the others send theirs. Tenant data (the ledger, dead letters, replay and discard) the
 * page reads through the public API with the same key. Like {@code /healthz}, it never reaches a function.
 *
 * <p>The jobs and schedules views read the public API too, through data endpoints here that call the host's
 * own API with the caller's key (so a tenant sees exactly what its key may see) and mask every value under a
 * secret-looking key ({@link DashboardMask}) before it reaches the page: {@code /dashboard/api/jobs} (the
 * list route's filters), {@code /dashboard/api/jobs/{id}} (the job, and the payload, history and trace id its
 * dead letter keeps), {@code /dashboard/api/schedules}. Cancel and retry (a dead letter's replay) the page
 * sends to the API itself.
 */
final class DashboardHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> FILES = Map.of("/dashboard", "index.html", "/dashboard/", "index.html",
            "/dashboard/app.js", "app.js");

    private final Supplier<Connection> broker;
    private final Topology topology;
    private final String redisUri;
    private final boolean redisCluster;
    private final KeyStore trustStore;
    private final ApiKeys keys;
    /** The host's own API (known once its server listens); null: the jobs and schedules views are unavailable. */
    private final Supplier<URI> api;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2)).build();
    /** The list route's filters, passed on as given; nothing else reaches the API. */
    private static final List<String> LIST_PARAMS = List.of("status", "type", "createdAfter", "createdBefore", "limit", "cursor");

    DashboardHandler(Supplier<Connection> broker, Topology topology, String redisUri, boolean redisCluster,
                     KeyStore trustStore, ApiKeys keys) {
        this(broker, topology, redisUri, redisCluster, trustStore, keys, null);
    }

    DashboardHandler(Supplier<Connection> broker, Topology topology, String redisUri, boolean redisCluster,
                     KeyStore trustStore, ApiKeys keys, Supplier<URI> api) {
        this.api = api;
        this.trustStore = trustStore;
        this.keys = keys;
        this.broker = broker;
        this.topology = topology;
        this.redisUri = redisUri;
        this.redisCluster = redisCluster;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!ex.getRequestMethod().equals("GET")) {
                send(ex, 405, "text/plain", "Method Not Allowed".getBytes());
            } else if (path.equals("/dashboard/api/overview")) {
                Optional<String> tenant = tenant(ex.getRequestHeaders().getFirst("Authorization"));
                if (tenant.isEmpty()) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"jobs\"");
                    send(ex, 401, Problem.CONTENT_TYPE, Problem.json(401, "Unauthorized", "send Authorization: Bearer <api key>"));
                } else {
                    send(ex, 200, "application/json", JSON.writeValueAsBytes(overview(tenant.get())));
                }
            } else if (path.equals("/dashboard/api/jobs") || path.startsWith("/dashboard/api/jobs/") || path.equals("/dashboard/api/schedules")) {
                String authorization = ex.getRequestHeaders().getFirst("Authorization");
                if (tenant(authorization).isEmpty()) {
                    ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"jobs\"");
                    send(ex, 401, Problem.CONTENT_TYPE, Problem.json(401, "Unauthorized", "send Authorization: Bearer <api key>"));
                } else {
                    view(ex, path, authorization);
                }
            } else if (FILES.containsKey(path)) {
                try (InputStream in = DashboardHandler.class.getResourceAsStream("dashboard/" + FILES.get(path))) {
                    send(ex, 200, path.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8", in.readAllBytes());
                }
            } else {
                send(ex, 404, "text/plain", "Not Found".getBytes());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("dashboard request failed: {}", e.toString());
        }
    }

    private void view(HttpExchange ex, String path, String authorization) throws IOException {
        if (api == null || api.get() == null) {
            send(ex, 503, Problem.CONTENT_TYPE, Problem.json(503, "Unavailable", "this host serves no API"));
            return;
        }
        try {
            Fetched r;
            if (path.equals("/dashboard/api/schedules")) {
                r = fetch("/v1/schedules", authorization);
            } else if (path.equals("/dashboard/api/jobs")) {
                r = fetch("/v1/jobs" + listQuery(ex.getRequestURI().getRawQuery()), authorization);
            } else {
                String id = path.substring("/dashboard/api/jobs/".length());
                if (!JobIds.isValid(id)) {
                    send(ex, 404, Problem.CONTENT_TYPE, Problem.json(404, "Not Found", "no such job"));
                    return;
                }
                r = detail(id, authorization);
            }
            byte[] body = r.body() == null ? Problem.json(r.status(), "Upstream", "the API answered " + r.status())
                    : JSON.writeValueAsBytes(DashboardMask.mask(r.body()));
            send(ex, r.status(), r.status() >= 400 ? Problem.CONTENT_TYPE : "application/json", body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(ex, 503, Problem.CONTENT_TYPE, Problem.json(503, "Unavailable", "interrupted"));
        } catch (IOException e) {
            send(ex, 502, Problem.CONTENT_TYPE, Problem.json(502, "Bad Gateway", "the host's API did not answer"));
        }
    }

    /**
     * A job as the detail view shows it: its status record (status, attempts, history, error, next attempt,
     * progress, result) and, when it is dead-lettered, what its dead letter keeps: the payload, trace id and
     * full history. The platform keeps a job's payload only in its message and its dead letter.
     */
    private Fetched detail(String id, String authorization) throws IOException, InterruptedException {
        Fetched job = fetch("/v1/jobs/" + id, authorization);
        if (job.status() != 200 || !(job.body() instanceof ObjectNode view)) {
            return job;
        }
        String status = view.path("status").asText();
        view.put("cancellable", status.equals("queued") || status.equals("scheduled") || status.equals("retrying") || status.equals("running"));
        Fetched dead = fetch("/v1/dlq/" + id, authorization);
        if (dead.status() == 200 && dead.body() != null) {
            JsonNode d = dead.body();
            ObjectNode dl = view.putObject("deadLetter");
            for (String f : List.of("reason", "lastError", "deadLetteredAt", "state", "generation")) {
                if (d.has(f)) {
                    dl.set(f, d.get(f));
                }
            }
            view.set("payload", d.get("payload"));
            view.set("traceId", d.get("traceId"));
            if (!view.has("history") && d.has("history")) {
                view.set("history", d.get("history"));
            }
            view.put("retryable", "dead".equals(d.path("state").asText()));
        } else {
            view.put("retryable", false);
        }
        return job;
    }

    private record Fetched(int status, JsonNode body) {
    }

    private Fetched fetch(String pathAndQuery, String authorization) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(api.get().resolve(pathAndQuery))
                .header("Authorization", authorization).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode body;
        try {
            body = r.body().length == 0 ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            body = null;
        }
        return new Fetched(r.statusCode(), body);
    }

    /** Only the list route's own filters, re-encoded: the page cannot reach other routes through this one. */
    static String listQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (LIST_PARAMS.contains(name) && !value.isEmpty()) {
                out.append(out.isEmpty() ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    /** The tenant of an {@code Authorization: Bearer <key>} header, as the API reads it. */
    private Optional<String> tenant(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return keys.tenantOf(authorization.substring(7).trim());
    }

    private ObjectNode overview(String tenant) {
        ObjectNode out = JSON.createObjectNode();
        out.put("namespace", topology.namespace());
        out.put("tenant", tenant);
        ArrayNode queues = out.putArray("queues");
        try (Channel ch = broker.get().createChannel()) {
            for (QueueSpec q : topology.queues()) {
                AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(q.name());
                queues.addObject().put("name", q.name()).put("role", q.role().name().toLowerCase()).put("type", q.jobType())
                        .put("ready", ok.getMessageCount()).put("consumers", ok.getConsumerCount());
            }
        } catch (Exception e) {
            out.put("brokerError", e.toString());
        }
        try (RedisSession redis = RedisSession.open(redisUri, redisCluster, Duration.ofSeconds(2), trustStore)) {
            ObjectNode metrics = out.putObject("metrics");
            new RedisMetricsView(redis.commands(), topology.namespace()).read().forEach(metrics::put);
            RedisLedger ledger = new RedisLedger(redis.commands(), topology.namespace(), Duration.ofDays(7), Duration.ofDays(400));
            long inFlight = ledger.read(tenant).inFlight();
            out.put("inFlight", inFlight);
        } catch (RuntimeException e) {
            out.put("redisError", e.toString());
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
