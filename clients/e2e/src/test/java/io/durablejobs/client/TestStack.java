package io.durablejobs.client;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.sun.net.httpserver.HttpServer;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.contract.ContractProxy;
import io.durablejobs.core.topology.ExchangeSpec;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.host.HostOptions;
import io.durablejobs.host.LocalHost;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The whole path a client takes, for end-to-end tests: the local host (submit function, webhook worker,
 * DLQ consumer, and on request the {@code example.hello} worker, from the real functions/functions.json) over the real RabbitMQ and Redis in a namespace of
 * its own, a contract proxy in front of it holding every exchange to api/openapi.json, and a webhook
 * receiver on loopback ({@code /ok} answers 204, {@code /gone} 410, which dead-letters at once) that keeps
 * the bodies it gets.
 */
public final class TestStack implements AutoCloseable {
    public final String key = "key-client-one-" + UUID.randomUUID();
    public final String otherKey = "key-client-two-" + UUID.randomUUID();
    public final LocalHost host;
    public final ContractProxy contract;
    private final HttpServer receiver;
    private final Map<String, List<String>> received = new ConcurrentHashMap<>();

    private TestStack(Map<String, String> extraEnv, String... extraFunctions) throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            received.computeIfAbsent(ex.getRequestURI().getPath(), p -> new CopyOnWriteArrayList<>())
                    .add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(ex.getRequestURI().getPath().startsWith("/gone") ? 410 : 204, -1);
            ex.close();
        });
        receiver.start();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("JOBS_HOST_FUNCTIONS");
        env.remove("JOBS_FUNCTIONS_FILE");
        env.remove("JOBS_SHARDS");
        env.put("JOBS_NAMESPACE", "it-client-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("JOBS_API_KEYS", "one=" + key + ",two=" + otherKey);
        env.put("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
        env.put("JOBS_RETRY_TIERS", "200ms,400ms");
        env.put("JOBS_DLQ_DIR", Files.createTempDirectory("client-dlq").toString());
        env.put("JOBS_DLQ_BULK_REPLAY_INTERVAL", "1s");
        env.put("JOBS_BLOB_STORE", "local");
        env.put("JOBS_BLOB_DIR", Files.createTempDirectory("client-blobs").toString());
        env.putAll(extraEnv);
        java.util.List<String> functions = new java.util.ArrayList<>(java.util.List.of("submit", "webhook-worker", "dlq-consumer"));
        functions.addAll(java.util.List.of(extraFunctions));
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(functionsFile())
                .withFunctions(functions.toArray(String[]::new)).withHttpPort(0));
        contract = ContractProxy.start(host.apiUrl());
    }

    public static TestStack start() throws Exception {
        return new TestStack(Map.of());
    }

    public static TestStack start(Map<String, String> extraEnv) throws Exception {
        return new TestStack(extraEnv);
    }

    /**
     * With the {@code example.hello} worker too ({@code hello-worker}: reports progress, stops when cancelled).
     * Only the tests that need it start it: each function is a JVM of its own, and on a loaded machine one
     * more at start can push another past the host's time for a runtime to start.
     */
    public static TestStack startWithHelloWorker() throws Exception {
        return new TestStack(Map.of(), "hello-worker");
    }

    /** The repository's function table, found from this module or one beside it. */
    private static Path functionsFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("functions/functions.json");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("functions/functions.json not found above " + Path.of("").toAbsolutePath());
    }

    /** Whether the API description (so the API) has a route; for routes that land after this test was written. */
    public static boolean described(String path) {
        try (var in = io.durablejobs.contract.OpenApiContract.class.getResourceAsStream(io.durablejobs.contract.OpenApiContract.RESOURCE)) {
            return in != null && new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("\"" + path + "\"");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Where clients send requests: the contract proxy. */
    public URI url() {
        return contract.url();
    }

    public JobsClient client() {
        return JobsClient.builder().baseUrl(url()).apiKey(key).build();
    }

    /** A webhook payload aimed at the receiver: {@code /ok...} succeeds, {@code /gone...} dead-letters. */
    public String webhook(String path) {
        return "{\"url\":\"" + receiverUrl(path) + "\",\"body\":{\"n\":1}}";
    }

    /** The receiver's URL for {@code path}; {@code /ok...} answers 204. */
    public String receiverUrl(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    /** The bodies the receiver got at {@code path}, in order. */
    public List<String> received(String path) {
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    /**
     * Closes {@code stack} (when it started) and then fails if any exchange broke api/openapi.json: every IT of
     * the clients ends this way, so the contract is checked after the last call went through the proxy.
     */
    public static void closeAndCheckContract(TestStack stack) {
        if (stack != null) {
            stack.close();
            stack.contract.assertKept();
        }
    }

    @Override
    public void close() {
        contract.close();
        host.close();
        receiver.stop(0);
        String uri = System.getenv().getOrDefault("JOBS_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/%2f");
        try (Connection c = AmqpConnections.open(uri, "it-cleanup")) {
            for (QueueSpec q : host.topology().queues()) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDelete(q.name());
                } catch (Exception ignored) {
                    // already gone
                }
            }
            for (ExchangeSpec e : host.topology().exchanges()) {
                try (Channel ch = c.createChannel()) {
                    ch.exchangeDelete(e.name());
                } catch (Exception ignored) {
                    // already gone
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cleanup of " + host.namespace() + " failed", e);
        }
    }
}
