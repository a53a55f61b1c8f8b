package io.durablejobs.bench.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * Drives a {@code POST} route from {@code clients} threads, each with its own keep-alive HTTP/1.1
 * connection, and records latency by outcome. Closed loop (as fast as answers come) or paced at a fixed
 * offered rate; paced latencies are measured from the intended send time, so a stalled server is not
 * hidden by the client waiting for it (coordinated omission).
 *
 * <p>A hand-written client on a plain socket rather than the JDK's {@code HttpClient}: the load generator
 * shares the host's JVM and cores, and the JDK client spent more CPU per request than the host's fast
 * paths being measured (the figures were taken with wrk, a C client). This one sends a request
 * built once and reads only the status line, {@code Content-Length} and the body's bytes. The CPU its
 * threads use is counted ({@link #cpuNanos()}) so the host's share of the process's CPU can be told apart.
 */
final class LoadClient {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    final Recorder accepted = new Recorder(3);
    final Recorder rejected = new Recorder(3);
    final AtomicLong acceptedCount = new AtomicLong();
    final AtomicLong rejected429 = new AtomicLong();
    final AtomicLong rejected503 = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    /** Jobs the answers report accepted (a batch answer counts its "accepted" items). */
    final AtomicLong jobsAccepted = new AtomicLong();
    /** Status of the last answer that was neither accepted nor rejected (say why a phase errs). */
    volatile int lastOtherStatus;
    private final AtomicLong cpu = new AtomicLong();

    private final URI uri;
    private final byte[] request;
    private final int acceptedStatus;
    private final boolean countBatch;

    LoadClient(URI apiUrl, String apiKey, String body) {
        this(apiUrl, "/v1/jobs", apiKey, body, false);
    }

    /** {@code batch}: a {@code POST /v1/jobs/batch} whose 202 and 207 answers count their accepted items. */
    LoadClient(URI apiUrl, String path, String apiKey, String body, boolean batch) {
        this.uri = apiUrl.resolve(path);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAuthorization: Bearer " + apiKey + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        this.request = new byte[h.length + b.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(b, 0, request, h.length, b.length);
        this.acceptedStatus = 202;
        this.countBatch = batch;
    }

    /** CPU the client's threads used (nanoseconds). */
    long cpuNanos() {
        return cpu.get();
    }

    /** Runs until {@code duration} has passed or {@code maxRequests} were sent; offeredPerSecond 0 = closed loop. */
    void run(int clients, Duration duration, long maxRequests, double offeredPerSecond) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong sent = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int index = i;
            Thread t = new Thread(() -> {
                long c0 = THREADS.getCurrentThreadCpuTime();
                try {
                    loop(index, clients, end, sent, maxRequests, offeredPerSecond);
                } finally {
                    cpu.addAndGet(THREADS.getCurrentThreadCpuTime() - c0);
                }
            }, "load-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void loop(int index, int clients, long end, AtomicLong sent, long maxRequests, double offered) {
        long intervalNanos = offered > 0 ? (long) (1e9 * clients / offered) : 0;
        long next = System.nanoTime() + (intervalNanos > 0 ? intervalNanos * index / clients : 0);
        Socket socket = null;
        InputStream in = null;
        OutputStream out = null;
        while (System.nanoTime() < end && sent.incrementAndGet() <= maxRequests) {
            long intended = System.nanoTime();
            if (intervalNanos > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                intended = next;
                next += intervalNanos;
            }
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
                    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                    out = socket.getOutputStream();
                }
                out.write(request);
                out.flush();
                Answer a = read(in);
                long micros = Math.max(1, (System.nanoTime() - intended) / 1000);
                int s = a.status;
                if (s == acceptedStatus || (countBatch && s == 207)) {
                    accepted.recordValue(micros);
                    acceptedCount.incrementAndGet();
                    jobsAccepted.addAndGet(countBatch ? acceptedItems(a.body) : 1);
                } else if (s == 429 || s == 503) {
                    rejected.recordValue(micros);
                    (s == 429 ? rejected429 : rejected503).incrementAndGet();
                } else {
                    lastOtherStatus = s;
                    errors.incrementAndGet();
                }
                if (a.close) {
                    socket.close();
                    socket = null;
                }
            } catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
                close(socket);
                socket = null;
            }
        }
        close(socket);
    }

    private static void close(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a connection the run is done with
            }
        }
    }

    private record Answer(int status, byte[] body, boolean close) {
    }

    /** Status line, headers (only Content-Length and Connection matter), then exactly the body's bytes. */
    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || statusLine.length() < 12) {
            throw new IOException("connection closed before an answer");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = 0;
        boolean close = false;
        String h;
        while ((h = line(in)) != null && !h.isEmpty()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("connection") && h.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                close = true;
            }
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("connection closed inside a body");
        }
        return new Answer(status, body, close);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** The batch answer's {@code "accepted": N}, without a JSON parser on the load generator's hot path. */
    static long acceptedItems(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
        int i = s.indexOf("\"accepted\":");
        if (i < 0) {
            return 0;
        }
        int j = i + "\"accepted\":".length();
        while (j < s.length() && s.charAt(j) == ' ') {
            j++;
        }
        int k = j;
        while (k < s.length() && Character.isDigit(s.charAt(k))) {
            k++;
        }
        return k > j ? Long.parseLong(s.substring(j, k)) : 0;
    }
}
