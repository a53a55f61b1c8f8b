package io.durablejobs.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;

/**
 * Drives {@code POST /v1/jobs} from {@code clients} threads, each with its own HTTP/1.1 connection, and
 * records latency by outcome. Closed loop (as fast as answers come) or paced at a fixed offered rate;
 * paced latencies are measured from the intended send time, so a stalled server is not hidden by the
 * client waiting for it (coordinated omission).
 */
final class LoadClient {
    final Recorder accepted = new Recorder(3);
    final Recorder rejected = new Recorder(3);
    final AtomicLong acceptedCount = new AtomicLong();
    final AtomicLong rejected429 = new AtomicLong();
    final AtomicLong rejected503 = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    private final URI uri;
    private final String apiKey;
    private final String body;

    LoadClient(URI apiUrl, String apiKey, String body) {
        this.uri = apiUrl.resolve("/v1/jobs");
        this.apiKey = apiKey;
        this.body = body;
    }

    /** Runs until {@code duration} has passed or {@code maxRequests} were sent; offeredPerSecond 0 = closed loop. */
    void run(int clients, Duration duration, long maxRequests, double offeredPerSecond) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong sent = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int index = i;
            Thread t = new Thread(() -> loop(index, clients, end, sent, maxRequests, offeredPerSecond), "load-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void loop(int index, int clients, long end, AtomicLong sent, long maxRequests, double offered) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        long intervalNanos = offered > 0 ? (long) (1e9 * clients / offered) : 0;
        long next = System.nanoTime() + (intervalNanos > 0 ? intervalNanos * index / clients : 0);
        while (System.nanoTime() < end && sent.incrementAndGet() <= maxRequests) {
            long intended = System.nanoTime();
            if (intervalNanos > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                intended = next;
                next += intervalNanos;
            }
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<Void> r = http.send(req, HttpResponse.BodyHandlers.discarding());
                long micros = Math.max(1, (System.nanoTime() - intended) / 1000);
                if (r.statusCode() == 202) {
                    accepted.recordValue(micros);
                    acceptedCount.incrementAndGet();
                } else if (r.statusCode() == 429 || r.statusCode() == 503) {
                    rejected.recordValue(micros);
                    (r.statusCode() == 429 ? rejected429 : rejected503).incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
            } catch (Exception e) {
                errors.incrementAndGet();
            }
        }
    }
}
