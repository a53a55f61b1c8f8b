package io.durablejobs.chaos;

import io.durablejobs.host.FunctionSpec;
import io.durablejobs.host.FunctionTable;
import io.durablejobs.host.HostOptions;
import io.durablejobs.host.LocalHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform under test, started for one run: its own broker node and Redis (unless shared services were
 * asked for), the MONITOR-fed status ledger, the webhook receiver, and the local host in this JVM serving
 * the API (submit) with the webhook worker in JVMs of their own and the DLQ consumer. Closing it stops
 * everything it started, in reverse order.
 */
final class ChaosStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosStack.class);
    static final String WORKER = "webhook-worker";
    static final String WORKER_HANDLER = "io.durablejobs.functions.webhook.WebhookWorkerHandler";

    final String runId;
    final String namespace;
    final StatusLedger ledger = new StatusLedger();
    final StatusWriteMonitor monitor;
    final BrokerNode broker;
    final RedisServer redis;
    final WebhookReceiver receiver;
    final LocalHost host;
    final String apiKey;
    final List<String> functions;
    final WorkerEnvironments workers = new WorkerEnvironments(WORKER_HANDLER);
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private final Path workDir;

    ChaosStack(String runId, ChaosSettings s, int workerTimeoutSeconds) throws Exception {
        this.runId = runId;
        this.namespace = "chaos-" + runId;
        this.monitor = new StatusWriteMonitor(namespace, ledger);
        try {
            workDir = Files.createTempDirectory("chaos-run-");
            opened.push(() -> TempFolder.delete(workDir));
            String rabbitUri;
            String redisUri;
            if (s.sharedServices()) {
                broker = null;
                redis = null;
                rabbitUri = System.getenv().getOrDefault("JOBS_RABBITMQ_URI", "amqp://guest:guest@127.0.0.1:5672/%2f");
                redisUri = System.getenv().getOrDefault("JOBS_REDIS_URI", "redis://127.0.0.1:6379");
                URI r = URI.create(redisUri);
                monitor.attach(SocketChannel.open(new InetSocketAddress(r.getHost(), r.getPort() > 0 ? r.getPort() : 6379)), 1,
                        RedisServer.Persistence.NONE, true);
                opened.push(monitor::detach);
                LOG.warn("SHARED SERVICES: running against the machine's RabbitMQ and Redis; no broker or Redis faults");
            } else {
                broker = BrokerNode.start();
                opened.push(broker);
                redis = RedisServer.start(RedisServer.Persistence.AOF, monitor);
                opened.push(redis);
                rabbitUri = broker.amqpUri();
                redisUri = redis.uri();
            }
            receiver = WebhookReceiver.start(s.unavailableShare());
            opened.push(receiver);

            apiKey = randomKey();
            Map<String, String> env = new HashMap<>(System.getenv());
            env.remove("JOBS_HOST_FUNCTIONS");
            env.remove("JOBS_FUNCTIONS_FILE");
            env.put("JOBS_NAMESPACE", namespace);
            env.put("JOBS_RABBITMQ_URI", rabbitUri);
            env.put("JOBS_REDIS_URI", redisUri);
            env.put("JOBS_API_KEYS", "chaos=" + apiKey);
            env.put("JOBS_WEBHOOK_SIGNING_SECRET", "whsec_" + Base64.getEncoder().encodeToString(bytes(32)));
            env.put("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
            env.put("JOBS_RETRY_TIERS", "200ms,1s,5s");
            env.put("JOBS_RATE_TENANT_PER_SECOND", "0");
            env.put("JOBS_RATE_GLOBAL_PER_SECOND", "0");
            env.put("JOBS_WORKER_PER_TARGET", "8");
            env.put("JOBS_HOST_ISOLATION", "process:" + WORKER);
            env.put("JOBS_DLQ_DIR", workDir.resolve("dead-letters").toString());
            env.put("JOBS_BLOB_DIR", workDir.resolve("blobs").toString());
            env.put("JOBS_HOST_SHUTDOWN_GRACE", "5s");
            // The worker environments (JVMs of their own) log to the run's log file too (chaos-logback.xml).
            env.put("CHAOS_LOG", Path.of(System.getProperty("chaos.log", "target/chaos/chaos.log")).toAbsolutePath().toString());

            FunctionTable table = FunctionTable.load(s.functionsFile());
            List<FunctionSpec> specs = new ArrayList<>();
            for (FunctionSpec f : table.functions()) {
                if (f.name().equals("submit")) {
                    specs.add(f);
                } else if (f.name().equals(WORKER)) {
                    // Short timeout: a killed environment's lease (sized from it) lapses soon, so the run ends.
                    specs.add(new FunctionSpec(f.name(), f.handlerClass(), f.handlerMethod(), f.trigger(), f.memoryMb(),
                            workerTimeoutSeconds, 20, f.batchWindowMs(), s.workerConcurrency(), f.environment()));
                } else if (f.name().equals("dlq-consumer") && loadable(f.handlerClass())) {
                    specs.add(f);
                }
            }
            functions = specs.stream().map(FunctionSpec::name).toList();
            host = LocalHost.start(HostOptions.of(env).withFunctionTable(new FunctionTable(specs)).withHttpPort(0).withBanner(false));
            opened.push(host);
            LOG.info("stack up: namespace {}, functions {}, API {}", namespace, functions, host.apiUrl());
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private static boolean loadable(String cls) {
        try {
            Class.forName(cls, false, ChaosStack.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static String randomKey() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(24));
    }

    boolean ownServices() {
        return broker != null;
    }

    @Override
    public void close() {
        while (!opened.isEmpty()) {
            AutoCloseable c = opened.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c, e.toString());
            }
        }
        // Environments the host started and did not stop (it normally does): never leave a JVM behind.
        ProcessHandle.current().children().filter(p -> WorkerEnvironments.commandLine(p).contains("AWSLambda"))
                .forEach(ProcessHandle::destroyForcibly);
    }

}
