package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.durablejobs.core.json.Json;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One hung webhook receiver and a healthy one in the same batches, through the host (one environment per
 * queue, the next batch fetched only when the last returns, as on AWS) with the real webhook worker, the
 * Redis breaker and the ledger. The worker runs against a queue filled beforehand, first with healthy jobs
 * only, then with the same number of healthy jobs and half as many hung ones mixed in: the healthy
 * receiver's throughput during the fault stays near the run without it (0.8 is the benchmark's target; the test
 * fails under half, where a cascade would put it), the hung receiver sees a
 * handful of calls, its jobs wait without spending attempts and dead-letter as breaker_open once
 * JOBS_BREAKER_MAX_DEFERRAL is spent, and the ledger balances with nothing in flight.
 */
class HungTargetSharesBatchesIT {
    static final String KEY = "key-hung-target-aaaaaaaaa";
    static final int HEALTHY = 400;
    /** One job in three of the fault's queue. */
    static final int HUNG = HEALTHY / 2;
    static final HttpClient HTTP = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    static final Map<String, Long> delivered = new ConcurrentHashMap<>();
    static final AtomicInteger healthyCalls = new AtomicInteger();
    static final AtomicInteger hungCalls = new AtomicInteger();
    static HttpServer hung;
    static HttpServer healthy;
    static Map<String, String> env;
    static LocalHost api;

    @BeforeAll
    static void start() throws Exception {
        hung = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hung.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        hung.createContext("/", ex -> {
            hungCalls.incrementAndGet();
            try {
                Thread.sleep(20_000); // far past the webhook timeout: a hung receiver
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        hung.start();
        healthy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        healthy.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        healthy.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            healthyCalls.incrementAndGet();
            try {
                Thread.sleep(50); // a receiver that acknowledges in 50 ms
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            delivered.putIfAbsent(ex.getRequestHeaders().getFirst("webhook-id"), System.nanoTime());
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        healthy.start();
        env = ItSupport.hostEnv(ItSupport.namespace());
        env.put("JOBS_API_KEYS", "acme=" + KEY);
        env.put("JOBS_RATE_TENANT_PER_SECOND", "0");
        env.put("JOBS_RATE_GLOBAL_PER_SECOND", "0");
        env.put("JOBS_SHED_QUEUE_DEPTH", "0");
        // Jobs are submitted in waves faster than the deployed stage's 200/s: this measures the workers.
        env.put("JOBS_HOST_STAGE_THROTTLE", "off");
        // Waves of up to 33 requests at once: as many environments, since one past them is refused at once.
        env.put("JOBS_HOST_API_CONCURRENCY", "64");
        env.put("JOBS_WEBHOOK_SIGNING_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        env.put("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
        env.put("JOBS_WEBHOOK_TIMEOUT", "1s");
        env.put("JOBS_RETRY_TIERS", "1s,5s"); // a hung job comes back rarely enough not to crowd the healthy ones
        env.put("JOBS_WORKER_BATCH_BUDGET", "250ms");
        env.put("JOBS_WORKER_JOB_BUDGET", "5s");
        env.put("JOBS_BREAKER_MINIMUM_NUMBER_OF_CALLS", "3");
        env.put("JOBS_BREAKER_SLOW_CALL_DURATION_THRESHOLD", "800ms");
        env.put("JOBS_BREAKER_WAIT_IN_OPEN_STATE", "60s");
        env.put("JOBS_BREAKER_MAX_DEFERRAL", "8s"); // two 5 s waits: the second passes it
        api = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../functions/functions.json"))
                .withFunctions("submit").withHttpPort(0));
    }

    @AfterAll
    static void stop() {
        api.close();
        ItSupport.deleteTopology(api.topology());
        hung.stop(0);
        healthy.stop(0);
    }

    @Test
    void aHungReceiver_inTheSameBatches_neitherSlowsTheHealthyOne_norSpendsItsJobsAttempts() throws Exception {
        // A first drain warms the JVM up, so neither measured phase pays for it.
        drainHealthy(submitAll(null, HEALTHY / 2));
        delivered.clear();
        // No fault: the worker drains a queue of healthy jobs.
        List<String> before = submitAll(null, HEALTHY);
        double clean = drainHealthy(before);

        // The fault: as many healthy jobs, and one job in three for a receiver that hangs.
        delivered.clear();
        List<String> hungJobs = new ArrayList<>();
        List<String> during = submitAll(hungJobs, HEALTHY);
        double faulted;
        try (LocalHost worker = workerHost()) {
            faulted = rate(during);
            // The hung receiver's jobs wait (no attempts spent on waiting) until the breaker's deferral
            // limit, then dead-letter as breaker_open.
            awaitTerminal(hungJobs, Duration.ofSeconds(30));
        }
        System.out.printf("healthy deliveries/s: %.0f without the fault, %.0f with it (%.2f); hung receiver calls: %d%n",
                clean, faulted, faulted / clean, hungCalls.get());
        // The 0.8 target is a benchmark figure (`./dev bench`, the worker alone); on 2 shared cores the ratio
        // drifts by a few hundredths with other load. A cascade is another order: batches held by the hung
        // receiver would drop the healthy rate to a few jobs a second, far under half.
        assertThat(faulted).as("healthy deliveries/s with a hung receiver in the same batches").isGreaterThanOrEqualTo(0.5 * clean);

        int spentAnAttempt = 0;
        for (String id : hungJobs) {
            JsonNode s = status(id);
            assertThat(s.get("status").asText()).as(id).isEqualTo("dead_lettered");
            assertThat(s.get("error").asText()).as(id).startsWith("breaker_open");
            assertThat(s.get("attempts").asInt()).as(id).isLessThanOrEqualTo(2);
            if (s.get("attempts").asInt() > 1) {
                spentAnAttempt++;
            }
        }
        // Only the calls that actually reached the hung receiver (its first few, before the breaker opened)
        // spent an attempt; every other job of it waited for free.
        assertThat(hungCalls.get()).isLessThan(HUNG / 4);
        assertThat(spentAnAttempt).isLessThanOrEqualTo(hungCalls.get());

        // Nothing lost, nothing finished twice: every healthy job succeeded once, the ledger balances.
        for (String id : during) {
            assertThat(status(id).get("status").asText()).as(id).isEqualTo("succeeded");
        }
        JsonNode stats = get("/v1/stats");
        assertThat(stats.get("accepted").asLong()).isEqualTo(2L * HEALTHY + HEALTHY / 2 + HUNG);
        assertThat(stats.get("succeeded").asLong()).isEqualTo(2L * HEALTHY + HEALTHY / 2);
        assertThat(stats.get("dead_lettered").asLong()).isEqualTo(HUNG);
        assertThat(stats.get("in_flight").asLong()).isZero();
        assertThat(stats.get("balanced").asBoolean()).isTrue();
    }

    /**
     * The webhook worker as functions.json sizes it, but in batches of 100: a phase then spans several
     * batches, so its rate is the worker's steady state rather than one batch's luck on a busy machine.
     */
    static LocalHost workerHost() throws Exception {
        FunctionSpec w = FunctionTable.load(Path.of("../functions/functions.json")).select(List.of("webhook-worker")).functions().get(0);
        FunctionSpec smaller = new FunctionSpec(w.name(), w.handlerClass(), w.handlerMethod(), w.trigger(), w.memoryMb(), w.timeoutSeconds(),
                100, w.batchWindowMs(), 1, w.environment());
        return LocalHost.start(HostOptions.of(env).withFunctionTable(new FunctionTable(List.of(smaller))).withHttpPort(0));
    }

    /** Starts a worker on the filled queue and returns the healthy receiver's deliveries per second. */
    static double drainHealthy(List<String> jobs) throws Exception {
        try (LocalHost worker = workerHost()) {
            return rate(jobs);
        }
    }

    /**
     * Distinct deliveries per second in the steady middle of a phase: between the 10th and the 90th
     * percentile of their arrival times, so neither the start (a new environment's first batch, which with
     * the hung host waits out the batch budget once, by design) nor the tail of retried stragglers decides it.
     */
    static double rate(List<String> jobs) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (delivered.size() < jobs.size() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(delivered).hasSize(jobs.size());
        long[] at = delivered.values().stream().mapToLong(Long::longValue).sorted().toArray();
        int from = at.length / 10;
        int to = at.length * 9 / 10;
        return (to - from) / Math.max(1e-3, (at[to] - at[from]) / 1e9);
    }

    /** Submits {@code healthyCount} healthy jobs, and (unless {@code hungJobs} is null) a hung one after every second. */
    static List<String> submitAll(List<String> hungJobs, int healthyCount) {
        List<String> healthyIds = new ArrayList<>();
        List<CompletableFuture<String>> wave = new ArrayList<>();
        List<Boolean> isHung = new ArrayList<>();
        for (int i = 0; i < healthyCount; i++) {
            wave.add(submit(healthy, i));
            isHung.add(false);
            if (hungJobs != null && i % 2 == 1) {
                wave.add(submit(hung, i));
                isHung.add(true);
            }
            if (wave.size() >= 32 || i == healthyCount - 1) { // a few at a time, as clients would
                for (int k = 0; k < wave.size(); k++) {
                    (isHung.get(k) ? hungJobs : healthyIds).add(wave.get(k).join());
                }
                wave.clear();
                isHung.clear();
            }
        }
        return healthyIds;
    }

    static CompletableFuture<String> submit(HttpServer target, int i) {
        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/hook/" + i;
        return HTTP.sendAsync(HttpRequest.newBuilder(api.apiUrl().resolve("/v1/jobs"))
                        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + url
                                + "\",\"body\":{}}}")).build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> {
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                    try {
                        return Json.MAPPER.readTree(r.body()).get("jobId").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    static void awaitTerminal(List<String> jobs, Duration atMost) throws Exception {
        long until = System.nanoTime() + atMost.toNanos();
        for (String id : jobs) {
            while (!status(id).get("status").asText().equals("dead_lettered") && System.nanoTime() < until) {
                Thread.sleep(100);
            }
        }
    }

    static JsonNode status(String id) throws Exception {
        return get("/v1/jobs/" + id);
    }

    static JsonNode get(String path) throws Exception {
        URI uri = api.apiUrl().resolve(path);
        return Json.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
