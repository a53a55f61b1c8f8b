package io.durablejobs.host;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.adapters.schedule.RedisScheduleStore;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.topology.ExchangeSpec;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.Topology;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

/**
 * Shared by the integration tests: a namespace of their own on the real broker, publishing, clean-up, a
 * webhook receiver, and hosts set up for webhooks and for the scheduler.
 */
final class ItSupport {
    /** The secret the webhook tests' hosts sign with, to verify what their receiver gets. */
    static final String SIGNING_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    /** The repository's function table, as the tests run from local-host/. */
    static final Path FUNCTIONS_FILE = Path.of("../functions/functions.json");

    private ItSupport() {
    }

    static String namespace() {
        return "it-host-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String rabbitUri() {
        return System.getenv().getOrDefault("JOBS_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/%2f");
    }

    /** The machine's environment (so CI's JOBS_RABBITMQ_URI and JOBS_REDIS_URI count) plus the test's own settings. */
    static HostOptions options(String namespace, String... functions) {
        Map<String, String> env = hostEnv(namespace);
        return HostOptions.of(env).withFunctionTable(TestTables.functions()).withFunctions(functions).withHttpPort(0);
    }

    /**
     * The machine's environment (CI's JOBS_RABBITMQ_URI and JOBS_REDIS_URI count) without the host settings
     * a developer's shell may carry (function subset, table file, shards), in the test's own namespace.
     */
    static Map<String, String> hostEnv(String namespace) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("JOBS_HOST_FUNCTIONS");
        env.remove("JOBS_FUNCTIONS_FILE");
        env.remove("JOBS_SHARDS");
        env.remove("JOBS_HOST_ISOLATION");
        env.put("JOBS_NAMESPACE", namespace);
        return env;
    }

    static void publish(Topology topology, String type, AMQP.BasicProperties props, byte[]... bodies) throws Exception {
        try (Connection c = AmqpConnections.open(rabbitUri(), "it-publisher"); Channel ch = c.createChannel()) {
            ch.confirmSelect();
            for (byte[] body : bodies) {
                ch.basicPublish(topology.jobsExchange(), type, true, props, body);
            }
            ch.waitForConfirmsOrDie(5000);
        }
    }

    static long ready(Topology topology, String queue) throws Exception {
        try (Connection c = AmqpConnections.open(rabbitUri(), "it-inspect"); Channel ch = c.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        }
    }

    /** Deletes every queue and exchange of the test's namespace. */
    static void deleteTopology(Topology topology) {
        try (Connection c = AmqpConnections.open(rabbitUri(), "it-cleanup")) {
            for (QueueSpec q : topology.queues()) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDelete(q.name());
                } catch (Exception ignored) {
                    // already gone
                }
            }
            for (ExchangeSpec e : topology.exchanges()) {
                try (Channel ch = c.createChannel()) {
                    ch.exchangeDelete(e.name());
                } catch (Exception ignored) {
                    // already gone
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cleanup of " + topology.namespace() + " failed", e);
        }
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * A host of {@code functions} of {@link #FUNCTIONS_FILE} in a namespace of its own, for tenant {@code acme}
     * with {@code key}; {@code settings} add to the machine's environment.
     */
    static LocalHost startHost(String key, Map<String, String> settings, String... functions) throws IOException {
        Map<String, String> env = hostEnv(namespace());
        env.put("JOBS_API_KEYS", "acme=" + key);
        env.putAll(settings);
        return LocalHost.start(HostOptions.of(env).withFunctionsFile(FUNCTIONS_FILE).withFunctions(functions).withHttpPort(0));
    }

    /** {@link #startHost}, its webhooks signed with {@link #SIGNING_SECRET} and allowed to reach a {@link Receiver} on loopback. */
    static LocalHost startWebhookHost(String key, Map<String, String> settings, String... functions) throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("JOBS_WEBHOOK_SIGNING_SECRET", SIGNING_SECRET, "JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true"));
        env.putAll(settings);
        return startHost(key, env, functions);
    }

    /** One request a {@link Receiver} got. */
    record Received(String path, Headers headers, byte[] body) {
    }

    /** A webhook receiver on 127.0.0.1: keeps every request it gets and answers each with the status its path asks for. */
    static final class Receiver implements AutoCloseable {
        private final List<Received> received = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Receiver(ToIntFunction<String> statusForPath) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", ex -> {
                String path = ex.getRequestURI().getPath();
                received.add(new Received(path, ex.getRequestHeaders(), ex.getRequestBody().readAllBytes()));
                ex.sendResponseHeaders(statusForPath.applyAsInt(path), -1);
                ex.close();
            });
            server.start();
        }

        /** The URL of {@code path} on this receiver. */
        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        /** What arrived at {@code path}, in order. */
        List<Received> at(String path) {
            return received.stream().filter(x -> x.path().equals(path)).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /**
     * A host running submit and the scheduler, whose rule fires every second here instead of EventBridge's
     * minute, for tenant {@code acme} with {@code key}; with a Redis session, so a test can make a schedule's
     * tick due at once through the store, as a scheduler run would.
     */
    static final class SchedulerHost implements AutoCloseable {
        private static final HttpClient HTTP = HttpClient.newHttpClient();
        final LocalHost host;
        final RedisSession redis;
        private final String key;

        SchedulerHost(String key, Map<String, String> settings) throws IOException {
            this.key = key;
            Map<String, String> env = new HashMap<>(settings);
            env.put("JOBS_HOST_SCHEDULE_PERIOD", "1s");
            host = startHost(key, env, "submit", "scheduler");
            JobsConfig cfg = JobsConfig.from(host.env());
            redis = RedisSession.open(cfg.redisUri(), cfg.redisCluster(), RedisSession.DEFAULT_COMMAND_TIMEOUT, cfg.tlsTrustStore());
        }

        RedisScheduleStore schedules() {
            return new RedisScheduleStore(redis.commands(), new RedisKeys(host.namespace()));
        }

        /** One API request as {@code acme}; {@code body} null for none. */
        HttpResponse<String> call(String method, String path, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(host.apiUrl().resolve(path)).header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Deletes the tenant's schedules (so no tick outlives the test), then the host and its topology. */
        @Override
        public void close() {
            RedisScheduleStore store = schedules();
            store.list("acme").forEach(s -> store.delete("acme", s.id()));
            redis.close();
            host.close();
            deleteTopology(host.topology());
        }
    }
}
