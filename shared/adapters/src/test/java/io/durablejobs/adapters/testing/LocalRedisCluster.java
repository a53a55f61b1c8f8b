package io.durablejobs.adapters.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real three-master Redis Cluster on 127.0.0.1, made of the machine's own redis-server processes on free
 * ports and joined with {@code redis-cli --cluster create}: ElastiCache Serverless is always cluster mode,
 * so a script whose keys hash to different slots (CROSSSLOT) must fail here, not first on AWS. One cluster
 * per test JVM, started by the first suite that asks and stopped when the JVM exits, so the suites share it.
 */
public final class LocalRedisCluster {
    private static final int NODES = 3;
    private static LocalRedisCluster shared;
    private static String unavailable;

    private final List<Process> processes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private final Path dir;

    private LocalRedisCluster(String server, String cli) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("redis-cluster");
        try {
            for (int i = 0; i < NODES; i++) {
                int port = freePortWithFreeBusPort();
                ports.add(port);
                processes.add(new ProcessBuilder(server, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                        "--cluster-node-timeout", "5000", "--dir", dir.toString(), "--save", "", "--appendonly", "no")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("node-" + port + ".log").toFile()).start());
            }
            for (int port : ports) {
                awaitListening(port);
            }
            List<String> create = new ArrayList<>(List.of(cli, "--cluster", "create"));
            ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(create, 30);
            for (int port : ports) {
                awaitClusterOk(cli, port);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    /** The shared cluster, started on first use; skips the caller (with the reason) where Redis is not installed. */
    public static synchronized LocalRedisCluster shared() {
        if (shared == null && unavailable == null) {
            String server = onPath("redis-server");
            String cli = onPath("redis-cli");
            if (server == null || cli == null) {
                unavailable = "redis-server and redis-cli are needed on PATH for the Redis Cluster runs (apt-get install redis-server)";
                System.out.println("[skip] " + unavailable);
            } else {
                try {
                    shared = new LocalRedisCluster(server, cli);
                } catch (IOException e) {
                    throw new IllegalStateException("could not start the local Redis Cluster: " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting the local Redis Cluster", e);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "redis-cluster-stop"));
            }
        }
        Assumptions.assumeTrue(shared != null, () -> unavailable);
        return shared;
    }

    /** A seed node; Lettuce's cluster client discovers the others and the slot map from it. */
    public String uri() {
        return "redis://127.0.0.1:" + ports.get(0);
    }

    private void stop() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }

    /** Each node also listens on its port + 10000 (the cluster bus): both must be free. */
    private static int freePortWithFreeBusPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket s = new ServerSocket(0)) {
                int port = s.getLocalPort();
                if (port + 10000 > 65535) {
                    continue;
                }
                try (ServerSocket bus = new ServerSocket(port + 10000)) {
                    return port;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free port pair (port, port + 10000) for a cluster node");
    }

    private static void awaitListening(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("redis-server did not start on port " + port);
    }

    private static void awaitClusterOk(String cli, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String last = "";
        while (System.nanoTime() < deadline) {
            last = run(List.of(cli, "-h", "127.0.0.1", "-p", Integer.toString(port), "cluster", "info"), 5);
            if (last.contains("cluster_state:ok")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException("cluster node " + port + " not ok: " + last.lines().findFirst().orElse(""));
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + text);
        }
        return text;
    }

    static String onPath(String binary) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(d, binary);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
