package io.durablejobs.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients that push jobs through the HTTP API as real clients would: each job under its own
 * {@code Idempotency-Key}; a share of keys sent 2-3 times at once; 503, 409, 429, 5xx and network errors
 * retried with the same key and body after a bounded, jittered backoff (honouring {@code Retry-After}).
 * Records every 202's job id per key, so the run can check that a key never names two jobs.
 */
final class SubmitClients {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param rate keys started per second over all clients, 0 for no pacing */
    record Plan(int jobs, int concurrency, double rate, double duplicateShare, double goneShare, Duration perKeyDeadline) {
    }

    private final URI api;
    private final String apiKey;
    private final WebhookReceiver receiver;
    private final String runId;
    private final Plan plan;
    private final SubmitGate gate;
    private final HttpClient http;
    private final ExecutorService duplicates;

    final Map<String, Set<String>> jobIdsByKey = new ConcurrentHashMap<>();
    final Map<String, String> keyByJobId = new ConcurrentHashMap<>();
    final Set<String> goneJobIds = ConcurrentHashMap.newKeySet();
    final Set<String> unansweredKeys = ConcurrentHashMap.newKeySet();
    final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    final LongAdder networkErrors = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder replayed = new LongAdder();
    final AtomicInteger duplicatedKeys = new AtomicInteger();
    final AtomicLong keysDone = new AtomicLong();

    SubmitClients(URI api, String apiKey, WebhookReceiver receiver, String runId, Plan plan, SubmitGate gate) {
        this.api = api;
        this.apiKey = apiKey;
        this.receiver = receiver;
        this.runId = runId;
        this.plan = plan;
        this.gate = gate;
        this.duplicates = Executors.newCachedThreadPool(daemon("dup-client"));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(8, daemon("http-client"))).build();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Submits every job; returns when every key has its answer (or gave up at its deadline). */
    void run() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(plan.concurrency(), daemon("client"));
        AtomicInteger next = new AtomicInteger();
        SplittableRandom seeds = new SplittableRandom(runId.hashCode());
        long[] seedOf = new long[plan.jobs()];
        for (int i = 0; i < seedOf.length; i++) {
            seedOf[i] = seeds.nextLong();
        }
        long interval = plan.rate() > 0 ? (long) (1e9 / plan.rate()) : 0;
        AtomicLong nextSlot = new AtomicLong(System.nanoTime());
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < plan.concurrency(); c++) {
            workers.add(pool.submit(() -> {
                int i;
                while ((i = next.getAndIncrement()) < plan.jobs()) {
                    try {
                        if (interval > 0) {
                            long wait = nextSlot.getAndAdd(interval) - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                        }
                        gate.enter();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return null;
                    }
                    try {
                        submitKey(i, new SplittableRandom(seedOf[i]));
                    } finally {
                        gate.leave();
                        keysDone.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        pool.shutdown();
        pool.awaitTermination(365, TimeUnit.DAYS);
        duplicates.shutdownNow();
    }

    private void submitKey(int i, SplittableRandom rnd) {
        String key = "chaos-" + runId + "-" + i;
        boolean gone = rnd.nextDouble() < plan.goneShare();
        int copies = rnd.nextDouble() < plan.duplicateShare() ? 2 + rnd.nextInt(2) : 1;
        String url = receiver.url((gone ? "/gone/" : "/ok/") + i);
        String body = "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + url + "\",\"body\":{\"n\":" + i + "}}}";
        if (copies > 1) {
            duplicatedKeys.incrementAndGet();
        }
        List<Future<Optional<String>>> others = new ArrayList<>();
        for (int c = 1; c < copies; c++) {
            others.add(duplicates.submit(() -> submitUntilAnswered(key, body)));
        }
        List<Optional<String>> answers = new ArrayList<>();
        answers.add(submitUntilAnswered(key, body));
        for (Future<Optional<String>> f : others) {
            try {
                answers.add(f.get());
            } catch (Exception e) {
                answers.add(Optional.empty());
            }
        }
        boolean any = false;
        for (Optional<String> a : answers) {
            if (a.isPresent()) {
                any = true;
                jobIdsByKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(a.get());
                keyByJobId.put(a.get(), key);
                if (gone) {
                    goneJobIds.add(a.get());
                }
            }
        }
        if (!any) {
            unansweredKeys.add(key);
        }
    }

    /** One client's submission of a key, retried until a 202 (its job id) or a final refusal or the deadline. */
    private Optional<String> submitUntilAnswered(String key, String body) {
        long until = System.nanoTime() + plan.perKeyDeadline().toNanos();
        for (int attempt = 0; System.nanoTime() < until; attempt++) {
            long waitMs = backoff(attempt);
            try {
                HttpRequest req = HttpRequest.newBuilder(api.resolve("/v1/jobs")).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                requests.increment();
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                statuses.computeIfAbsent(r.statusCode(), s -> new LongAdder()).increment();
                if (r.statusCode() == 202) {
                    if (r.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false)) {
                        replayed.increment();
                    }
                    JsonNode n = JSON.readTree(r.body());
                    return Optional.of(n.get("jobId").asText());
                }
                if (!retryable(r.statusCode())) {
                    return Optional.empty();
                }
                long retryAfter = r.headers().firstValue("Retry-After").map(SubmitClients::seconds).orElse(0L) * 1000;
                waitMs = Math.max(waitMs, Math.min(retryAfter, 5000));
            } catch (IOException e) {
                networkErrors.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static boolean retryable(int status) {
        return status == 409 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** Full jitter over 50 ms doubling to a 2 s cap. */
    static long backoff(int attempt) {
        long cap = Math.min(2000, 50L << Math.min(attempt, 6));
        return cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    }

    private static long seconds(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
