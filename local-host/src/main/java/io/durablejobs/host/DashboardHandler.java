package io.durablejobs.host;

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
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.Topology;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
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
    private final java.security.KeyStore trustStore;
    private final ApiKeys keys;

    DashboardHandler(Supplier<Connection> broker, Topology topology, String redisUri, boolean redisCluster,
                     java.security.KeyStore trustStore, ApiKeys keys) {
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
