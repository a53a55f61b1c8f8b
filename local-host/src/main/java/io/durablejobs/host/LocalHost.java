package io.durablejobs.host;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.sun.net.httpserver.HttpHandler;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.topology.Topology;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
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
        // Netty's leak detector (on by default, SIMPLE) records a stack trace for a sample of the buffers the
        // HTTP front, Lettuce and the functions' clients allocate: a few hundred a second under load, read by
        // nobody here. Off unless asked for (-Dio.netty.leakDetection.level=paranoid still turns it on, as
        // tests hunting a leak may want). The functions turn it off the same way (PlatformClients).
        if (System.getProperty("io.netty.leakDetection.level") == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
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
    /** The environments of each http function; empty when the host runs none. */
    private final List<EnvironmentPool> apiPools;
    private final HealthCheck health;
    private final long shutdownGraceMillis;
    private final Map<String, String> env;
    private boolean closed;

    private LocalHost(JobsConfig config, Topology topology, Connection admin, Connection consumer, List<FunctionRuntime> functions,
                      List<RabbitMqEventSourceMapping> mappings, HttpFront server, List<EnvironmentPool> apiPools,
                      HealthCheck health, long shutdownGraceMillis, Map<String, String> env, List<ScheduleRule> rules) {
        this.rules = rules;
        this.config = config;
        this.topology = topology;
        this.adminConnection = admin;
        this.consumerConnection = consumer;
        this.functions = functions;
        this.mappings = mappings;
        this.server = server;
        this.apiPools = apiPools;
        this.health = health;
        this.shutdownGraceMillis = shutdownGraceMillis;
        this.env = env;
    }

    private static Logger log() {
        return LoggerFactory.getLogger(LocalHost.class);
    }

    /**
     * Starts the host in four steps: the {@link HostPlan} (every setting, the functions, the HTTP port,
     * checked before anything is touched), the broker (connections, topology), the triggers (one mapping
     * per queue, schedule rules), then the front (API Gateway and the dashboard).
     */
    public static LocalHost start(HostOptions options) throws IOException {
        HostPlan plan = HostPlan.of(options);
        JobsConfig config = plan.config();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Connection admin = connectWithRetry(config.rabbitmqUri(), config.tlsTrustStore(), "local-host", false);
            opened.add(admin);
            TopologyDeclarer.declare(admin, plan.topology());
            Connection consumer = connectWithRetry(config.rabbitmqUri(), config.tlsTrustStore(), "local-host-esm", true);
            opened.add(consumer);
            Triggers triggers = Triggers.of(plan, consumer, opened);
            HealthCheck health = new HealthCheck(() -> admin, config.redisUri());
            opened.add(health);
            // One pool of environments per http function, as Lambda scales each function on its own.
            Map<String, ApiGatewayEmulator.Integration> integrations = new LinkedHashMap<>();
            for (FunctionRuntime f : triggers.http()) {
                EnvironmentPool pool = new EnvironmentPool(f, plan.settings().apiConcurrency());
                opened.add(pool::close);
                integrations.put(f.spec().name(), new ApiGatewayEmulator.Integration(f, pool));
            }
            HttpFront server = integrations.isEmpty() ? null : front(plan, ApiRoutes.of(
                    triggers.http().stream().map(FunctionRuntime::spec).toList(), f -> integrations.get(f.name())), health, admin);
            if (server != null) {
                opened.add(server);
            }
            LocalHost host = new LocalHost(config, plan.topology(), admin, consumer, plan.runtimes(), triggers.mappings(),
                    server, integrations.values().stream().map(ApiGatewayEmulator.Integration::pool).toList(), health, plan.settings().shutdownGraceMillis(), plan.env(), triggers.rules());
            triggers.mappings().forEach(RabbitMqEventSourceMapping::start);
            triggers.rules().forEach(ScheduleRule::start);
            log().info("local host up: namespace {}, functions {}", config.namespace(), plan.table().names());
            if (options.banner()) {
                System.out.print(Banner.text(host, plan.table(), plan.secrets(), plan.skipped()));
            }
            return host;
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        } catch (Exception e) {
            closeAll(opened, e);
            throw new IOException(e);
        }
    }

    /** What consumes: one mapping per queue function and queue, the schedule rules, and the http functions. */
    private record Triggers(List<RabbitMqEventSourceMapping> mappings, List<ScheduleRule> rules, List<FunctionRuntime> http) {
        static Triggers of(HostPlan plan, Connection consumer, List<AutoCloseable> opened) throws IOException {
            String vhost = AmqpConnections.factory(plan.config().rabbitmqUri()).getVirtualHost();
            List<RabbitMqEventSourceMapping> mappings = new ArrayList<>();
            List<ScheduleRule> rules = new ArrayList<>();
            List<FunctionRuntime> http = new ArrayList<>();
            for (FunctionRuntime f : plan.runtimes()) {
                Trigger t = f.spec().trigger();
                if (t instanceof Trigger.Http) {
                    http.add(f);
                } else if (t instanceof Trigger.Schedule sch) {
                    Duration period = plan.settings().schedulePeriod();
                    ScheduleRule rule = new ScheduleRule(f, period != null ? period : sch.period());
                    rules.add(rule);
                    opened.add(rule);
                } else {
                    // One mapping per queue, as on AWS: a sharded type has one per shard.
                    List<String> queues = t instanceof Trigger.WorkQueue w
                            ? plan.topology().workQueuesOf(w.jobType()).stream().map(q -> q.name()).toList()
                            : List.of(plan.topology().deadQueue());
                    for (String queue : queues) {
                        RabbitMqEventSourceMapping m = new RabbitMqEventSourceMapping(f, consumer, queue, vhost);
                        mappings.add(m);
                        opened.add(m);
                    }
                }
            }
            return new Triggers(List.copyOf(mappings), List.copyOf(rules), List.copyOf(http));
        }
    }

    /** API Gateway's routes, and the dashboard beside them; a port taken since the plan is named too. */
    private static HttpFront front(HostPlan plan, ApiRoutes<ApiGatewayEmulator.Integration> api, HealthCheck health,
                                   Connection admin) throws InterruptedException {
        JobsConfig config = plan.config();
        HostSettings settings = plan.settings();
        Map<String, HttpHandler> routes = new LinkedHashMap<>();
        routes.put("/", new ApiGatewayEmulator(api, health, settings.throttleWaitMillis(),
                settings.stageThrottle() ? StageThrottle.fromPlatformResource() : StageThrottle.OFF));
        // The dashboard belongs to the host, like /healthz: the longer prefix takes /dashboard/*.
        // Its jobs and schedules views call this host's own API, whose address is known once it listens.
        AtomicReference<URI> self = new AtomicReference<>();
        routes.put("/dashboard", new DashboardHandler(() -> admin, plan.topology(), config.redisUri(), config.redisCluster(),
                config.tlsTrustStore(), config.apiKeys(), self::get));
        try {
            HttpFront server = HttpFront.start(plan.httpAddress(), settings.httpLimits(), routes);
            self.set(loopbackUrl(server));
            return server;
        } catch (Exception e) {
            // Netty throws the bind's IOException without declaring it, so catch broadly and rethrow the rest.
            if (isBindFailure(e)) {
                throw new ConfigException(List.of(HostPlan.portMessage(plan.httpAddress(), true)));
            }
            throw e;
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void closeAll(List<AutoCloseable> opened, Exception failure) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    /** The broker may still be starting (./dev up right after starting it): retry for about 30 s. */
    private static Connection connectWithRetry(String uri, KeyStore trustStore, String name, boolean topologyRecovery)
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
        String host = a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
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
        }
        apiPools.forEach(EnvironmentPool::close);
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
        boolean checkOnly = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--functions" -> options = options.withFunctions(HostSettings.names(value(args, ++i)).toArray(String[]::new));
                case "--port" -> options = options.withHttpPort(port(value(args, ++i)));
                case "--check" -> checkOnly = true;
                case "-h", "--help" -> {
                    System.out.println("usage: java -jar local-host.jar [--functions name,name] [--port N] [--check]\n"
                            + "  --check  validate the settings, the function table and the HTTP port, then exit\n"
                            + "settings: see local-host/README.md (JOBS_HOST_FUNCTIONS, JOBS_HTTP_PORT, JOBS_FUNCTIONS_FILE, ...)");
                    return;
                }
                default -> usageError("unknown argument " + args[i] + " (try --help)");
            }
        }
        if (checkOnly) {
            try {
                HostPlan.of(options.withBanner(false));
                System.out.println("settings OK");
                return;
            } catch (ConfigException e) {
                exitWith(e);
            }
        }
        LocalHost host = null;
        try {
            host = start(options);
        } catch (ConfigException e) {
            exitWith(e);
        } catch (Exception e) {
            // One plain line for the developer; the trace goes to the log at DEBUG for whoever needs it.
            System.err.println("local host failed to start: " + describe(e));
            log().debug("start failed", e);
            System.exit(1);
        }
        LocalHost running = host;
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            done.countDown();
        }, "shutdown"));
        done.await();
    }

    /** Every problem, one a line, and exit status 2 (bad settings, as for a bad argument). */
    private static void exitWith(ConfigException e) {
        StringBuilder b = new StringBuilder("local host not started: ").append(e.problems().size() == 1 ? "1 problem" : e.problems().size() + " problems");
        e.problems().forEach(p -> b.append("\n  - ").append(p));
        System.err.println(b);
        System.exit(2);
    }

    /** The failure and its causes' messages on one line, without class names a developer need not read. */
    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
                b.append(": ").append(c.getMessage());
            }
        }
        return b.toString();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usageError(args[i - 1] + " needs a value (try --help)");
        }
        return args[i];
    }

    private static int port(String v) {
        try {
            int p = Integer.parseInt(v.trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usageError("--port " + v + ": must be a number between 0 and 65535");
        return -1;
    }

    private static void usageError(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
