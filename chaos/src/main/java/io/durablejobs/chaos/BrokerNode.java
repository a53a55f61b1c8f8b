package io.durablejobs.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RabbitMQ node of the chaos run's own, next to the machine's shared one: its own node name, AMQP and
 * distribution ports, data, logs, config and (empty) plugin list in a temporary folder, so restarting or
 * killing it disturbs nobody else. The Erlang cookie is the installation's, which is fine on one machine.
 */
final class BrokerNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerNode.class);

    private final String node;
    private final int amqpPort;
    private final Path dir;
    private final Map<String, String> env;

    private BrokerNode(String node, int amqpPort, Path dir, Map<String, String> env) {
        this.node = node;
        this.amqpPort = amqpPort;
        this.dir = dir;
        this.env = env;
    }

    /** Whether this machine can run a node at all (rabbitmq-server and rabbitmqctl on the PATH). */
    static boolean installed() {
        return onPath("rabbitmq-server") && onPath("rabbitmqctl");
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", program));
    }

    static BrokerNode start() {
        String node = "chaos-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
        int amqp = FreePort.pick();
        int dist = FreePort.pick();
        try {
            Path dir = Files.createTempDirectory("chaos-rabbit-");
            // The Debian scripts run the node as the rabbitmq user when called by root: it must write here.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path conf = dir.resolve("rabbitmq.conf");
            Files.writeString(conf, String.join("\n",
                    "listeners.tcp.local = 127.0.0.1:" + amqp,
                    "disk_free_limit.absolute = 50MB",
                    "log.console = false",
                    "log.file.level = warning", ""));
            Path envFile = dir.resolve("rabbitmq-env.conf");
            // Not the machine's /etc/rabbitmq/rabbitmq-env.conf: that one names the shared node.
            Files.writeString(envFile, "ERL_EPMD_ADDRESS=127.0.0.1\n"
                    + "export ERL_FLAGS=\"-kernel inet_dist_use_interface {127,0,0,1}\"\n");
            Path plugins = dir.resolve("enabled_plugins");
            Files.writeString(plugins, "[].\n");
            for (Path p : List.of(conf, envFile, plugins)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-rw-rw-"));
            }
            Map<String, String> env = new LinkedHashMap<>();
            env.put("RABBITMQ_NODENAME", node);
            env.put("RABBITMQ_NODE_PORT", String.valueOf(amqp));
            env.put("RABBITMQ_DIST_PORT", String.valueOf(dist));
            env.put("RABBITMQ_CONF_ENV_FILE", envFile.toString());
            env.put("RABBITMQ_CONFIG_FILE", conf.toString());
            env.put("RABBITMQ_ADVANCED_CONFIG_FILE", dir.resolve("advanced.config").toString());
            env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
            env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
            env.put("RABBITMQ_PID_FILE", dir.resolve("pid").toString());
            env.put("RABBITMQ_ENABLED_PLUGINS_FILE", plugins.toString());
            BrokerNode b = new BrokerNode(node, amqp, dir, env);
            b.launch();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String node() {
        return node;
    }

    String amqpUri() {
        return "amqp://guest:guest@127.0.0.1:" + amqpPort + "/%2f";
    }

    /** Starts the node (its data folder kept) and waits until it serves. */
    void launch() {
        try {
            Files.deleteIfExists(dir.resolve("pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Command.Result r = Command.run(List.of("rabbitmq-server", "-detached"), env, dir, Duration.ofSeconds(60));
        if (!r.ok()) {
            throw new IllegalStateException("rabbitmq-server -detached failed for " + node + ": " + r.output());
        }
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Command.Result last = null;
        while (System.nanoTime() < until) {
            // await_startup answers at once while the node has not registered with epmd yet: poll it.
            last = ctl(Duration.ofSeconds(90), "await_startup", "-t", "60");
            if (last.ok()) {
                LOG.info("broker node {} up on 127.0.0.1:{} (pid {})", node, amqpPort, pid().map(String::valueOf).orElse("?"));
                return;
            }
            sleep(500);
        }
        throw new IllegalStateException("broker node " + node + " did not start; logs in " + dir.resolve("log")
                + (last != null ? ": " + last.output() : ""));
    }

    /** rabbitmqctl stop_app then start_app: the broker application restarts, the Erlang node stays. */
    void restartApp() {
        requireOk(ctl(Duration.ofSeconds(120), "stop_app"), "stop_app");
        requireOk(ctl(Duration.ofSeconds(120), "start_app"), "start_app");
    }

    /** SIGKILL of the node's beam.smp (from its pid file), then a fresh start on the same data. */
    long hardKillAndRestart(Duration down) {
        long pid = pid().orElseThrow(() -> new IllegalStateException("no pid file for " + node));
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("broker pid " + pid + " not running"));
        h.destroyForcibly();
        h.onExit().join();
        sleep(down.toMillis());
        launch();
        return pid;
    }

    Optional<Long> pid() {
        try {
            Path p = dir.resolve("pid");
            if (!Files.exists(p)) {
                return Optional.empty();
            }
            String s = Files.readString(p).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Messages (ready + unacknowledged) per queue, from rabbitmqctl list_queues. */
    Map<String, long[]> queues() {
        Command.Result r = ctl(Duration.ofSeconds(60), "list_queues", "-q", "--no-table-headers", "name", "messages_ready",
                "messages_unacknowledged");
        requireOk(r, "list_queues");
        Map<String, long[]> out = new HashMap<>();
        for (String line : r.output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                try {
                    out.put(f[0], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
                } catch (NumberFormatException ignored) {
                    // a warning line
                }
            }
        }
        return out;
    }

    private Command.Result ctl(Duration limit, String... args) {
        List<String> cmd = new ArrayList<>(List.of("rabbitmqctl", "-n", node));
        cmd.addAll(List.of(args));
        return Command.run(cmd, env, dir, limit);
    }

    private static void requireOk(Command.Result r, String what) {
        if (!r.ok()) {
            throw new IllegalStateException("rabbitmqctl " + what + " failed: " + r.output());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the node (SIGKILL if it does not stop) and deletes its folder. */
    @Override
    public void close() {
        Optional<Long> pid = pid();
        Command.Result r = ctl(Duration.ofSeconds(60), "stop");
        pid.flatMap(ProcessHandle::of).ifPresent(h -> {
            if (h.isAlive()) {
                if (r.ok()) {
                    h.onExit().orTimeout(15, TimeUnit.SECONDS).exceptionally(e -> h).join();
                }
                if (h.isAlive()) {
                    h.destroyForcibly();
                }
            }
        });
        TempFolder.delete(dir);
        LOG.info("broker node {} stopped", node);
    }
}
