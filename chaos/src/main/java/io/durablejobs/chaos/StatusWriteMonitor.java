package io.durablejobs.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads Redis MONITOR on the run's own Redis and feeds every write of a job's status field (HSET on
 * {@code <ns>:job:{id}}, from the platform's Lua scripts or plain commands, and DEL of the record) into the
 * {@link StatusLedger}, in the order Redis executed them. This is the platform's own record of completions,
 * watched from outside the platform's code, across every restart of Redis.
 */
final class StatusWriteMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(StatusWriteMonitor.class);

    private final String jobKeyPrefix;
    private final StatusLedger ledger;
    private final AtomicLong lines = new AtomicLong();
    private volatile SocketChannel channel;
    private volatile Thread reader;
    private volatile String awaitedMarker;
    private volatile CountDownLatch markerSeen;

    StatusWriteMonitor(String namespace, StatusLedger ledger) {
        this.jobKeyPrefix = namespace + ":job:{";
        this.ledger = ledger;
    }

    long lines() {
        return lines.get();
    }

    /** Starts reading a new life of Redis (called before that life opens its TCP port). */
    void attach(SocketChannel ch, int life, RedisServer.Persistence persistence, boolean freshData) throws IOException {
        detach();
        ledger.newLife(life, freshData);
        ch.write(ByteBuffer.wrap(Resp.command("MONITOR")));
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8), 1 << 16);
        String ok = in.readLine();
        if (ok == null || !ok.startsWith("+OK")) {
            throw new IOException("MONITOR refused: " + ok);
        }
        channel = ch;
        Thread t = new Thread(() -> read(in, life), "redis-monitor-" + life);
        t.setDaemon(true);
        reader = t;
        t.start();
        LOG.info("monitoring redis life {} ({})", life, persistence);
    }

    private void read(BufferedReader in, int life) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                lines.incrementAndGet();
                if (line.indexOf(jobKeyPrefix) >= 0) {
                    accept(line);
                }
                String marker = awaitedMarker;
                if (marker != null && line.contains(marker)) {
                    awaitedMarker = null;
                    markerSeen.countDown();
                }
            }
        } catch (IOException e) {
            LOG.debug("monitor of life {} ended: {}", life, e.toString());
        }
    }

    void accept(String line) {
        List<String> a = MonitorLine.args(line);
        if (a.size() < 2 || !a.get(1).startsWith(jobKeyPrefix)) {
            return;
        }
        String cmd = a.get(0).toUpperCase(Locale.ROOT);
        String key = a.get(1);
        String jobId = key.substring(jobKeyPrefix.length(), key.length() - 1);
        if (cmd.equals("DEL") || cmd.equals("UNLINK")) {
            ledger.deleted(jobId);
        } else if (cmd.equals("HSET") || cmd.equals("HMSET")) {
            for (int i = 2; i + 1 < a.size(); i += 2) {
                if (a.get(i).equals("status")) {
                    ledger.statusWritten(jobId, a.get(i + 1));
                }
            }
        }
    }

    /**
     * Before Redis is killed: pauses every write ({@code CLIENT PAUSE ... WRITE}; clients' scripts wait, they
     * are not refused), then sends a marker through Redis and waits until the monitor has read it. Redis sends
     * a monitor its feed asynchronously; without this the feed's tail (writes that did happen and were
     * answered) would die with the process and the ledger would miss them. The kill that follows still finds
     * clients with commands in flight, as a crash does.
     *
     * @return false when the marker did not come back in time (the report then says the ledger may miss writes)
     */
    boolean settle(UnixDomainSocketAddress redis) throws IOException, InterruptedException {
        String marker = "chaos-settle-" + UUID.randomUUID();
        markerSeen = new CountDownLatch(1);
        awaitedMarker = marker;
        RedisServer.call(redis, "CLIENT", "PAUSE", "10000", "WRITE");
        RedisServer.call(redis, "ECHO", marker);
        return markerSeen.await(10, TimeUnit.SECONDS);
    }

    /** Waits until the reader has consumed everything Redis sent so far (best effort, bounded). */
    void drain() {
        long before;
        do {
            before = lines.get();
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        } while (lines.get() != before);
    }

    /** Called once the monitored Redis is gone: reads what it sent up to its end, then closes. */
    void detach() {
        Thread t = reader;
        reader = null;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        SocketChannel ch = channel;
        channel = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
