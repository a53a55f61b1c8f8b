package io.durablejobs.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis of the chaos run's own (a child process), with or without persistence, that can be SIGKILLed and
 * started again on the same port. Every life of it starts listening on a Unix socket only; the run's
 * {@link StatusWriteMonitor} attaches (MONITOR) there first, and only then is the TCP port opened
 * ({@code CONFIG SET port}), so no write of any client can happen before the monitor sees it.
 */
final class RedisServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);

    enum Persistence { AOF, NONE }

    private final int port;
    private final Path dir;
    private final StatusWriteMonitor monitor;
    private volatile Process process;
    private volatile Persistence persistence;
    private volatile Path dataDir;
    private volatile UnixDomainSocketAddress socketAddress;
    private volatile boolean monitorComplete = true;
    private int lives;

    private RedisServer(int port, Path dir, StatusWriteMonitor monitor) {
        this.port = port;
        this.dir = dir;
        this.monitor = monitor;
    }

    static boolean installed() {
        return BrokerNode.onPath("redis-server");
    }

    static RedisServer start(Persistence persistence, StatusWriteMonitor monitor) {
        try {
            RedisServer r = new RedisServer(FreePort.pick(), Files.createTempDirectory("chaos-redis-"), monitor);
            r.launch(persistence, true);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    Persistence persistence() {
        return persistence;
    }

    /** Whether the monitor read every write of every life up to each kill (see StatusWriteMonitor#settle). */
    boolean monitorComplete() {
        return monitorComplete;
    }

    long pid() {
        return process.pid();
    }

    /**
     * SIGKILL, then start again after {@code down}. With {@link Persistence#AOF} before and after, the new
     * life loads the append-only file; with {@code NONE} after, it starts empty, as a Redis without
     * persistence does after any restart.
     */
    synchronized void killAndRestart(Persistence after, Duration down) {
        Process p = process;
        try {
            if (!monitor.settle(socketAddress)) {
                monitorComplete = false;
                LOG.warn("the monitor did not catch up before the kill: the ledger may miss the last writes");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        p.destroyForcibly();
        p.onExit().join();
        try {
            Thread.sleep(down.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        launch(after, after != persistence || after == Persistence.NONE);
    }

    private synchronized void launch(Persistence mode, boolean freshData) {
        try {
            lives++;
            if (freshData || dataDir == null) {
                dataDir = Files.createDirectories(dir.resolve("data-" + lives));
            }
            Path socket = dir.resolve("redis-" + lives + ".sock");
            List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", "0", "--bind", "127.0.0.1",
                    "--unixsocket", socket.toString(), "--unixsocketperm", "700", "--dir", dataDir.toString(),
                    "--save", "", "--daemonize", "no", "--logfile", dir.resolve("redis-" + lives + ".log").toString()));
            if (mode == Persistence.AOF) {
                cmd.addAll(List.of("--appendonly", "yes", "--appendfsync", "everysec"));
            } else {
                cmd.addAll(List.of("--appendonly", "no"));
            }
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis-" + lives + ".out").toFile()).start();
            persistence = mode;
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
            socketAddress = address;
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(socket) || !loaded(address)) {
                if (!process.isAlive() || System.nanoTime() > until) {
                    throw new IllegalStateException("redis-server did not start; see " + dir);
                }
                Thread.sleep(20);
            }
            monitor.attach(SocketChannel.open(address), lives, mode, freshData);
            String answer = call(address, "CONFIG", "SET", "port", String.valueOf(port));
            if (!answer.startsWith("+OK")) {
                throw new IllegalStateException("CONFIG SET port failed: " + answer);
            }
            while (!listening()) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("redis-server does not listen on " + port);
                }
                Thread.sleep(20);
            }
            LOG.info("redis life {} up on 127.0.0.1:{} (pid {}, persistence {}, {} data)", lives, port, process.pid(), mode,
                    freshData ? "fresh" : "kept");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Done loading its data (an AOF may take a moment): PING answers PONG, not LOADING. */
    private static boolean loaded(UnixDomainSocketAddress address) {
        try {
            return call(address, "PING").startsWith("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One command over the Unix socket; the first reply line. */
    static String call(UnixDomainSocketAddress address, String... args) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(address);
            ch.write(ByteBuffer.wrap(Resp.command(args)));
            ByteBuffer in = ByteBuffer.allocate(512);
            StringBuilder line = new StringBuilder();
            while (line.indexOf("\r\n") < 0) {
                in.clear();
                if (ch.read(in) < 0) {
                    break;
                }
                line.append(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
            }
            return line.toString();
        }
    }

    @Override
    public synchronized void close() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            p.onExit().join();
        }
        monitor.detach();
        TempFolder.delete(dir);
        LOG.info("redis on port {} stopped", port);
    }
}
