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
import io.durablejobs.core.ledger.LedgerCounts;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.Topology;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's dashboard: {@code /dashboard} serves a page (plain HTML and JS, no build step) and
 * {@code /dashboard/api/overview} the host-level numbers it polls: queue depths and consumers per queue,
 * the metrics view (where functions' metrics go locally), breaker states per downstream, jobs in flight.
 * Tenant data (the ledger, dead letters, replay and discard) the page reads through the public API with
 * the API key the user gives it, so tenant scoping stays the API's. Like {@code /healthz}, it never
 * reaches a function.
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

    DashboardHandler(Supplier<Connection> broker, Topology topology, String redisUri, boolean redisCluster,
                     java.security.KeyStore trustStore) {
        this.trustStore = trustStore;
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
                send(ex, 200, "application/json", JSON.writeValueAsBytes(overview()));
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

    private ObjectNode overview() {
        ObjectNode out = JSON.createObjectNode();
        out.put("namespace", topology.namespace());
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
            ArrayNode breakers = out.putArray("breakers");
            ScanCursor cursor = ScanCursor.INITIAL;
            String prefix = topology.namespace() + ":breaker:{";
            do {
                var page = redis.commands().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                for (String key : page.getKeys()) {
                    if (key.endsWith("}")) {
                        Map<String, String> h = redis.commands().hgetall(key);
                        breakers.addObject().put("name", key.substring(prefix.length(), key.length() - 1))
                                .put("state", h.getOrDefault("state", "closed")).put("generation", h.getOrDefault("gen", "0"));
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
            RedisLedger ledger = new RedisLedger(redis.commands(), topology.namespace(), Duration.ofDays(7), Duration.ofDays(400));
            long inFlight = 0;
            for (String t : ledger.tenants()) {
                LedgerCounts c = ledger.read(t);
                inFlight += c.inFlight();
            }
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
