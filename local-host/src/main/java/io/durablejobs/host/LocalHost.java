package io.durablejobs.host;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local function host: API Gateway and Lambda's RabbitMQ event-source mappings around the same
 * handler classes Lambda runs. {@code java -jar local-host.jar [--functions a,b]} runs it until SIGINT or
 * SIGTERM; tests embed it with {@link #start(HostOptions)}.
 */
public final class LocalHost implements AutoCloseable {
    static {
        // The Runtime API each environment in its own JVM polls (RuntimeApiEndpoint) is a JDK HttpServer. It
        // writes a response's headers and body as separate segments and leaves TCP_NODELAY off unless told
        // otherwise: Nagle then holds the body until the client's delayed ACK (40 ms on Linux). Read once,
        // when the server's configuration class loads, so it must be set before the first HttpServer in the JVM.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final JobsConfig config;
    private final Topology topology;
    private final Connection adminConnection;
    private final Connection consumerConnection;
    private final List<RabbitMqEventSourceMapping> mappings;
    private final List<ScheduleRule> rules;
    private final List<FunctionRuntime> functions;
    private final HttpFront server;
    private final EnvironmentPool apiPool;
    private final HealthCheck health;
    private final long shutdownGraceMillis;
    private final Map<String, String> env;
    private boolean closed;

    private LocalHost(JobsConfig config, Topology topology, Connection admin, Connection consumer, List<FunctionRuntime> functions,
                      List<RabbitMqEventSourceMapping> mappings, HttpFront server, EnvironmentPool apiPool,
                      HealthCheck health, long shutdownGraceMillis, Map<String, String> env, List<ScheduleRule> rules) {
        this.rules = rules;
        this.config = config;
        this.topology = topology;
        this.adminConnection = admin;
        this.consumerConnection = consumer;
        this.functions = functions;
        this.mappings = mappings;
        this.server = server;
        this.apiPool = apiPool;
        this.health = health;
        this.shutdownGraceMillis = shutdownGraceMillis;
        this.env = env;
    }

    private static Logger log() {
        return LoggerFactory.getLogger(LocalHost.class);
    }

    /** Starts the host: declares the topology, starts one mapping per queue function, serves the http function. */
    public static LocalHost start(HostOptions options) throws IOException {
        // *_SECRET_ARN first (Secrets Manager; LocalStack's under Docker Compose), so the host's own broker and
        // Redis connections use the same credentials as its functions, and a key read from there is not replaced
        // by a generated one.
        DevSecrets secrets = DevSecrets.fill(io.durablejobs.lambda.SecretsManagerFetcher.resolve(options.env()));
        Map<String, String> env = secrets.env();
        HostSettings settings = HostSettings.from(env);
        FunctionTable whole = options.functionTable() != null ? options.functionTable() : FunctionTable.load(settings.functionsFile());
        String shardSpec = whole.shardSpec();
        if (!shardSpec.isEmpty() && (env.get("JOBS_SHARDS") == null || env.get("JOBS_SHARDS").isBlank())) {
            // As infra does on AWS: every function learns the sharded types from the table (the submit function
            // spreads jobs over them), whichever subset of functions this host runs.
            env = new java.util.HashMap<>(env);
            env.put("JOBS_SHARDS", shardSpec);
        }
        JobsConfig config = JobsConfig.from(env);
        FunctionTable table = whole.select(options.functions() != null ? options.functions() : settings.functions());
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : LocalHost.class.getClassLoader();
        boolean everything = (options.functions() != null ? options.functions() : settings.functions()).isEmpty();
        List<FunctionRuntime> runtimes = new ArrayList<>();
        List<FunctionSpec> runnable = new ArrayList<>();
        for (FunctionSpec f : table.functions()) {
            if (everything && !onClasspath(f.handlerClass(), loader)) {
                // Running "all": a function whose module is not packed into this host is skipped, loudly.
                log().warn("function {} skipped: its handler {} is not on the host's classpath (add its module to "
                        + "local-host/pom.xml)", f.name(), f.handlerClass());
                continue;
            }
            runtimes.add(new FunctionRuntime(f, HandlerMethod.resolve(f.handlerClass(), f.handlerMethod(), loader),
                    FunctionEnvironment.of(env, f), settings.isolation().ownProcess(f)));
            runnable.add(f);
        }
        List<String> skipped = table.names().stream().filter(n -> runnable.stream().noneMatch(f -> f.name().equals(n))).toList();
        table = new FunctionTable(runnable);

        Set<String> types = new LinkedHashSet<>(registeredJobTypes(env));
        types.addAll(table.jobTypes());
        Topology topology = config.topology(types);

        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Connection admin = connectWithRetry(config.rabbitmqUri(), config.tlsTrustStore(), "local-host", false);
            opened.add(admin);
            TopologyDeclarer.declare(admin, topology);
            Connection consumer = connectWithRetry(config.rabbitmqUri(), config.tlsTrustStore(), "local-host-esm", true);
            opened.add(consumer);
            String vhost = AmqpConnections.factory(config.rabbitmqUri()).getVirtualHost();

            List<RabbitMqEventSourceMapping> mappings = new ArrayList<>();
            List<ScheduleRule> rules = new ArrayList<>();
            FunctionRuntime http = null;
            for (FunctionRuntime f : runtimes) {
                Trigger t = f.spec().trigger();
                if (t instanceof Trigger.Http) {
                    http = f;
                } else if (t instanceof Trigger.Schedule sch) {
                    ScheduleRule rule = new ScheduleRule(f, settings.schedulePeriod() != null ? settings.schedulePeriod() : sch.period());
                    rules.add(rule);
                    opened.add(rule);
                } else {
                    // One mapping per queue, as on AWS: a sharded type has one per shard.
                    List<String> queues = t instanceof Trigger.WorkQueue w
                            ? topology.workQueuesOf(w.jobType()).stream().map(q -> q.name()).toList()
                            : List.of(topology.deadQueue());
                    for (String queue : queues) {
                        RabbitMqEventSourceMapping m = new RabbitMqEventSourceMapping(f, consumer, queue, vhost);
                        mappings.add(m);
                        opened.add(m);
                    }
                }
            }

            HealthCheck health = new HealthCheck(() -> admin, config.redisUri());
            opened.add(health);
            HttpFront server = null;
            EnvironmentPool pool = null;
            if (http != null) {
                int port = options.httpPort() != null ? options.httpPort() : settings.httpPort();
                pool = new EnvironmentPool(http, settings.apiConcurrency());
                Map<String, com.sun.net.httpserver.HttpHandler> routes = new LinkedHashMap<>();
                routes.put("/", new ApiGatewayEmulator(http, pool, health, settings.throttleWaitMillis(),
                        settings.stageThrottle() ? StageThrottle.fromPlatformResource() : StageThrottle.OFF));
                // The dashboard belongs to the host, like /healthz: the longer prefix takes /dashboard/*.
                // Its jobs and schedules views call this host's own API, whose address is known once it listens.
                var self = new java.util.concurrent.atomic.AtomicReference<java.net.URI>();
                routes.put("/dashboard", new DashboardHandler(() -> admin, topology, config.redisUri(), config.redisCluster(),
                        config.tlsTrustStore(), config.apiKeys(), self::get));
                server = HttpFront.start(new InetSocketAddress(settings.httpBind(), port), settings.httpLimits(), routes);
                self.set(loopbackUrl(server));
                opened.add(server);
            }
            LocalHost host = new LocalHost(config, topology, admin, consumer, runtimes, mappings, server, pool, health,
                    settings.shutdownGraceMillis(), env, rules);
            mappings.forEach(RabbitMqEventSourceMapping::start);
            rules.forEach(ScheduleRule::start);
            log().info("local host up: namespace {}, functions {}", config.namespace(), table.names());
            if (options.banner()) {
                System.out.print(Banner.text(host, table, secrets, skipped));
            }
            return host;
        } catch (IOException | RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static boolean onClasspath(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The job types on the classpath (their providers may read configuration, so inside {@link Env#with}). */
    private static Set<String> registeredJobTypes(Map<String, String> env) throws IOException {
        try {
            return new LinkedHashSet<>(Env.with(env, JobTypeRegistry::fromServiceLoader).names());
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** The broker may still be starting (./dev up right after starting it): retry for about 30 s. */
    private static Connection connectWithRetry(String uri, java.security.KeyStore trustStore, String name, boolean topologyRecovery)
            throws IOException {
        ConnectionFactory factory = AmqpConnections.factory(uri, trustStore);
        // The mappings' consumers must come back after a broker restart: this connection recovers them.
        factory.setTopologyRecoveryEnabled(topologyRecovery);
        IOException last = null;
        for (int attempt = 0; attempt < 30; attempt++) {
            try {
                return factory.newConnection(name);
            } catch (IOException e) {
                last = e;
            } catch (TimeoutException e) {
                last = new IOException("timed out connecting to RabbitMQ", e);
            }
            if (attempt == 0) {
                log().warn("RabbitMQ not reachable yet ({}); retrying for 30 s", last.getMessage());
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IOException("cannot connect to RabbitMQ (JOBS_RABBITMQ_URI not shown: it may hold a password)", last);
    }

    /** The API port, or -1 when this host runs no http function. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    /** Where this machine reaches the API: loopback when the host listens on every address. */
    public URI apiUrl() {
        return server == null ? URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":-1") : loopbackUrl(server);
    }

    private static URI loopbackUrl(HttpFront server) {
        InetAddress a = server.address();
        if (a.isAnyLocalAddress()) {
            a = InetAddress.getLoopbackAddress();
        }
        String host = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return URI.create("http://" + host + ":" + server.port());
    }

    public String namespace() {
        return config.namespace();
    }

    public Topology topology() {
        return topology;
    }

    /** The environment the functions see (with generated dev secrets): tests read the API key from it. */
    public Map<String, String> env() {
        return env;
    }

    public List<FunctionRuntime> functions() {
        return functions;
    }

    /** Stops consuming, lets in-flight batches finish (bounded), stops HTTP, closes connections. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        log().info("local host stopping");
        rules.forEach(ScheduleRule::close);
        List<Thread> stoppers = new ArrayList<>();
        for (RabbitMqEventSourceMapping m : mappings) {
            Thread t = new Thread(() -> m.stop(shutdownGraceMillis), "stop-" + m.function().spec().name());
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join(shutdownGraceMillis + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (server != null) {
            server.close();
            apiPool.close();
        }
        health.close();
        for (Connection c : List.of(consumerConnection, adminConnection)) {
            try {
                c.close(2000);
            } catch (Exception e) {
                log().debug("closing {}: {}", c, e.toString());
            }
        }
        log().info("local host stopped");
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/durablejobs/host/logback-host.xml");
        }
        HostOptions options = HostOptions.fromEnvironment();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--functions" -> options = options.withFunctions(HostSettings.names(args[++i]).toArray(String[]::new));
                case "--port" -> options = options.withHttpPort(Integer.parseInt(args[++i]));
                case "-h", "--help" -> {
                    System.out.println("usage: java -jar local-host.jar [--functions name,name] [--port N]\n"
                            + "settings: see local-host/README.md (JOBS_HOST_FUNCTIONS, JOBS_HTTP_PORT, JOBS_FUNCTIONS_FILE, ...)");
                    return;
                }
                default -> {
                    System.err.println("unknown argument " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        LocalHost host;
        try {
            host = start(options);
        } catch (Exception e) {
            System.err.println("local host failed to start: " + e.getMessage());
            log().error("start failed", e);
            System.exit(1);
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            host.close();
            done.countDown();
        }, "shutdown"));
        done.await();
    }
}
