package io.durablejobs.adapters.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A redis-server of the test's own on a free port, so a test can stop and restart "Redis" without
 * touching the machine's shared one. Skips the test (with the reason) where redis-server is not installed.
 */
public final class ThrowawayRedis implements AutoCloseable {
    private final int port;
    /** redis-server's TLS options (certificate, key, authority files); empty for plain TCP. */
    private final java.util.List<String> tls;
    private Process process;

    public ThrowawayRedis() throws IOException {
        this(java.util.List.of());
    }

    private ThrowawayRedis(java.util.List<String> tls) throws IOException {
        String binary = find();
        Assumptions.assumeTrue(binary != null, "redis-server is not on PATH: skipping the test that needs a Redis of its own");
        this.tls = tls;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
        start();
    }

    /** A Redis that speaks only TLS, presenting {@code certPem} (chain) and {@code keyPem}. */
    public static ThrowawayRedis tls(java.nio.file.Path certPem, java.nio.file.Path keyPem, java.nio.file.Path caPem) throws IOException {
        return new ThrowawayRedis(java.util.List.of("--tls-cert-file", certPem.toString(), "--tls-key-file", keyPem.toString(),
                "--tls-ca-cert-file", caPem.toString(), "--tls-auth-clients", "no"));
    }

    public int port() {
        return port;
    }

    private static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }

    public String uri() {
        return (tls.isEmpty() ? "redis://" : "rediss://") + "127.0.0.1:" + port;
    }

    public void start() throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(find(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
        if (tls.isEmpty()) {
            command.addAll(java.util.List.of("--port", Integer.toString(port)));
        } else {
            command.addAll(java.util.List.of("--port", "0", "--tls-port", Integer.toString(port)));
            command.addAll(tls);
        }
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException(ie);
                }
            }
        }
        throw new IOException("redis-server did not start on port " + port);
    }

    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
