package io.durablejobs.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.sun.management.OperatingSystemMXBean;
import com.sun.net.httpserver.HttpServer;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.work.JobMessages;
import io.durablejobs.host.FunctionSpec;
import io.durablejobs.host.FunctionTable;
import io.durablejobs.host.HostOptions;
import io.durablejobs.host.LocalHost;
import io.durablejobs.lambda.PlatformClients;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * {@code ./dev bench}, worker phase: the worker function alone, on one environment (one mapping, as on
 * AWS), against a queue filled beforehand, so the figure is the worker's and not the submit path's.
 * <ul>
 *   <li>(a) {@code webhook.deliver} to a local receiver answering in 100 ms, batch as configured in
 *       functions/functions.json: jobs/s;</li>
 *   <li>(b) the same, with a receiver that hangs (answers after 120 s) taking one job in three: healthy
 *       jobs/s (against (a) of the same run), the hung target's breaker opening time after its first call,
 *       calls it saw and attempts its jobs spent; then a paced run at half of (a)'s rate with the same mix
 *       for healthy jobs' p50/p99 from enqueue to {@code succeeded} (the record's own timestamps);</li>
 *   <li>(c) the no-op type: jobs/s, Redis commands and round trips (socket flushes) per job and per batch.</li>
 * </ul>
 * A discarded warm-up phase runs first. Every phase is bounded (BENCH_WORKER_SECONDS, default 25 s of
 * draining), and the hung receiver is released when the bench ends. Writes results/bench/worker.json.
 */
public final class WorkerBench {
    static final Map<String, Long> delivered = new ConcurrentHashMap<>();
    static final AtomicInteger hungCalls = new AtomicInteger();
    static volatile long firstHungCallNanos;
    static final CountDownLatch releaseHung = new CountDownLatch(1);

    public static void main(String[] args) throws Exception {
        Map<String, String> sys = System.getenv();
        int drainSeconds = Integer.parseInt(sys.getOrDefault("BENCH_WORKER_SECONDS", "25"));
        int webhookJobs = Integer.parseInt(sys.getOrDefault("BENCH_WEBHOOK_JOBS", "6000"));
        int noopJobs = Integer.parseInt(sys.getOrDefault("BENCH_NOOP_JOBS", "30000"));
        Path functionsFile = Path.of(sys.getOrDefault("BENCH_FUNCTIONS_FILE", "../../functions/functions.json"));
        Path out = Path.of(sys.getOrDefault("BENCH_OUT", "results/bench"));
        String run = "wbench-" + UUID.randomUUID().toString().substring(0, 8);

        FunctionSpec webhookWorker = FunctionTable.load(functionsFile).select(List.of("webhook-worker")).functions().get(0);
        if (sys.containsKey("BENCH_BATCH_SIZE")) {
            webhookWorker = new FunctionSpec(webhookWorker.name(), webhookWorker.handlerClass(), webhookWorker.handlerMethod(),
                    webhookWorker.trigger(), webhookWorker.memoryMb(), webhookWorker.timeoutSeconds(),
                    Integer.parseInt(sys.get("BENCH_BATCH_SIZE")), Integer.parseInt(sys.getOrDefault("BENCH_BATCH_WINDOW_MS",
                    Integer.toString(webhookWorker.batchWindowMs()))), 1, webhookWorker.environment());
        }
        FunctionSpec noopWorker;
        try (InputStream in = WorkerBench.class.getResourceAsStream("/bench-functions.json")) {
            noopWorker = FunctionTable.parse(in).select(List.of("noop-worker")).functions().get(0);
        }
        if (sys.containsKey("BENCH_NOOP_BATCH_SIZE")) {
            noopWorker = new FunctionSpec(noopWorker.name(), noopWorker.handlerClass(), noopWorker.handlerMethod(), noopWorker.trigger(),
                    noopWorker.memoryMb(), noopWorker.timeoutSeconds(), Integer.parseInt(sys.get("BENCH_NOOP_BATCH_SIZE")),
                    noopWorker.batchWindowMs(), 1, noopWorker.environment());
        }
        String phases = sys.getOrDefault("BENCH_WORKER_PHASES", "a,b,c");

        HttpServer healthy = receiver(false);
        HttpServer hung = receiver(true);
        Map<String, String> env = new HashMap<>(sys);
        env.putIfAbsent("JOBS_WEBHOOK_SIGNING_SECRET", "whsec_" + Base64.getEncoder().encodeToString(new byte[32]));
        env.put("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
        env.remove("JOBS_HOST_FUNCTIONS");
        env.remove("JOBS_FUNCTIONS_FILE");
        env.remove("JOBS_SHARDS");
        String redisUri = env.getOrDefault("JOBS_REDIS_URI", JobsConfig.DEFAULT_REDIS_URI);

        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("when", Instant.now().toString());
        result.set("machine", machine());
        result.put("webhook_batch_size", webhookWorker.batchSize());
        result.put("webhook_batch_window_ms", webhookWorker.batchWindowMs());
        System.out.printf("worker bench: namespaces %s-*, webhook batch %d (window %d ms), %d webhook jobs, %d no-op jobs%n", run,
                webhookWorker.batchSize(), webhookWorker.batchWindowMs(), webhookJobs, noopJobs);

        try (RedisSession redis = RedisSession.open(redisUri, false)) {
            // warm-up: the same kind of phase first, discarded, so (a) is not the one paying for the JIT
            int warmup = Integer.parseInt(sys.getOrDefault("BENCH_WARMUP_JOBS", "3000"));
            if (warmup > 0) {
                Phase w = webhookPhase(env, run + "-w", webhookWorker, healthy, hung, warmup, 0, 0, drainSeconds, redis);
                System.out.printf("warm-up: %.0f jobs/s (discarded)%n", w.healthyRate);
            }
            // (a) healthy receiver only
            ObjectNode a = result.putObject("a_healthy");
            Phase pa = webhookPhase(env, run + "-a", webhookWorker, healthy, hung, webhookJobs, 0, 0, drainSeconds, redis);
            a.put("jobs", webhookJobs);
            a.put("jobs_per_s", round(pa.healthyRate));
            a.put("target_jobs_per_s", 800);
            System.out.printf("(a) healthy: %.0f jobs/s (target >= 800)%n", pa.healthyRate);

            // (b) one job in three to a hung receiver, the queue filled beforehand
            if (phases.contains("b")) {
            ObjectNode b = result.putObject("b_hung_one_in_three");
            Phase pb = webhookPhase(env, run + "-b", webhookWorker, healthy, hung, webhookJobs, webhookJobs / 2, 0, drainSeconds, redis);
            b.put("healthy_jobs", webhookJobs);
            b.put("hung_jobs", webhookJobs / 2);
            b.put("healthy_jobs_per_s", round(pb.healthyRate));
            b.put("ratio_to_a", round(pb.healthyRate / pa.healthyRate));
            b.put("target_ratio", 0.8);
            b.put("hung_calls", pb.hungCalls);
            b.put("breaker_open_after_first_call_s", pb.breakerOpenAfterSeconds);
            b.put("hung_jobs_that_spent_an_attempt", pb.hungAttemptsSpent);
            System.out.printf("(b) hung 1 in 3: healthy %.0f jobs/s (%.2f of (a), target >= 0.8), breaker open %.1f s after the first"
                            + " hung call (target <= 30), hung calls %d, hung jobs that spent an attempt %d of %d%n", pb.healthyRate,
                    pb.healthyRate / pa.healthyRate, pb.breakerOpenAfterSeconds, pb.hungCalls, pb.hungAttemptsSpent, webhookJobs / 2);

            // (b, latency) paced at half of (a)'s rate, same mix: enqueue -> succeeded for the healthy jobs
            double paced = Math.max(50, Math.min(pa.healthyRate / 2, 2000));
            int pacedSeconds = Math.min(20, drainSeconds);
            Phase pl = webhookPhase(env, run + "-bl", webhookWorker, healthy, hung, (int) (paced * pacedSeconds * 2 / 3),
                    (int) (paced * pacedSeconds / 3), paced, drainSeconds, redis);
            ObjectNode bl = b.putObject("paced_latency");
            bl.put("offered_jobs_per_s", round(paced));
            bl.put("healthy_p50_ms", pl.p50Ms);
            bl.put("healthy_p99_ms", pl.p99Ms);
            bl.put("target_p99_ms", 2000);
            bl.put("breaker_open_after_first_call_s", pl.breakerOpenAfterSeconds);
            System.out.printf("(b) paced %.0f/s, 1 in 3 hung: healthy enqueue->succeeded p50 %d ms, p99 %d ms (target <= 2000)%n", paced,
                    pl.p50Ms, pl.p99Ms);
            // the same pace with healthy jobs only, for the plot's comparison
            Phase pn = webhookPhase(env, run + "-al", webhookWorker, healthy, hung, (int) (paced * pacedSeconds * 2 / 3), 0,
                    paced * 2 / 3, drainSeconds, redis);
            bl.put("healthy_only_same_healthy_rate_p50_ms", pn.p50Ms);
            bl.put("healthy_only_same_healthy_rate_p99_ms", pn.p99Ms);
            Map<String, Histogram> plot = new LinkedHashMap<>();
            plot.put("healthy jobs, no fault", pn.latencyMicros);
            plot.put("healthy jobs, 1 in 3 to a hung host", pl.latencyMicros);
            Files.createDirectories(out);
            LatencyPlot.write(plot, String.format("Worker, paced %.0f healthy jobs/s: enqueue to succeeded (ms)", paced * 2 / 3),
                    out.resolve("worker-latency.png").toFile());
            System.out.printf("(b) same healthy pace without the hung host: p50 %d ms, p99 %d ms%n", pn.p50Ms, pn.p99Ms);
            }

            // (c) no-op type
            if (phases.contains("c")) {
            ObjectNode c = result.putObject("c_noop");
            NoopJobType.COMPLETED.set(0);
            String ns = run + "-c";
            Map<String, String> penv = phase(env, ns);
            declare(penv, new FunctionTable(List.of(noopWorker)));
            prefill(penv, "bench.noop", noopJobs, i -> Json.MAPPER.createObjectNode().put("n", i), 0);
            long before = RedisSession.commandsSent();
            long flushesBefore = RedisSession.flushesSent();
            long t0 = System.nanoTime();
            try (LocalHost worker = LocalHost.start(HostOptions.of(penv).withFunctionTable(new FunctionTable(List.of(noopWorker)))
                    .withHttpPort(0))) {
                long until = System.nanoTime() + Duration.ofSeconds(drainSeconds).toNanos();
                while (NoopJobType.COMPLETED.get() < noopJobs && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                Thread.sleep(500);
            }
            long commands = RedisSession.commandsSent() - before;
            long flushes = RedisSession.flushesSent() - flushesBefore;
            long done = NoopJobType.COMPLETED.get();
            double rate = done / Math.max(1e-3, (NoopJobType.lastNanos - NoopJobType.firstNanos) / 1e9);
            double perJob = commands / (double) Math.max(1, done);
            c.put("jobs", noopJobs);
            c.put("completed", done);
            c.put("jobs_per_s", round(rate));
            c.put("target_jobs_per_s", 5000);
            c.put("batch_size", noopWorker.batchSize());
            c.put("redis_commands_per_job", round(perJob));
            c.put("redis_commands_per_batch", round(perJob * noopWorker.batchSize()));
            // Round trips: socket flushes that carried commands (the worker's calls go through its group-commit pipeline).
            double flushesPerJob = flushes / (double) Math.max(1, done);
            c.put("redis_round_trips_per_job", Math.round(flushesPerJob * 1000) / 1000.0);
            c.put("redis_round_trips_per_batch", round(flushesPerJob * noopWorker.batchSize()));
            System.out.printf("(c) no-op: %.0f jobs/s (target >= 5000), Redis commands %.2f per job, %.0f per batch of %d; round trips %.3f per job%n",
                    rate, perJob, perJob * noopWorker.batchSize(), noopWorker.batchSize(), flushesPerJob);
            cleanUp(env, ns, redis);
            }
        } finally {
            releaseHung.countDown();
            healthy.stop(0);
            hung.stop(0);
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("worker.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
        System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println("wrote " + out.resolve("worker.json"));
        System.exit(0);
    }

    record Phase(double healthyRate, int hungCalls, double breakerOpenAfterSeconds, int hungAttemptsSpent, long p50Ms, long p99Ms,
                 Histogram latencyMicros) {
    }

    /**
     * One webhook phase in a namespace of its own: fill the queue (or, with {@code pacedRate} > 0, feed it at
     * that rate while the worker runs), run the worker alone, and measure.
     */
    static Phase webhookPhase(Map<String, String> env, String ns, FunctionSpec worker, HttpServer healthy, HttpServer hung,
                              int healthyJobs, int hungJobs, double pacedRate, int drainSeconds, RedisSession redis) throws Exception {
        delivered.clear();
        hungCalls.set(0);
        firstHungCallNanos = 0;
        Map<String, String> penv = phase(env, ns);
        FunctionTable table = new FunctionTable(List.of(worker));
        String healthyUrl = "http://127.0.0.1:" + healthy.getAddress().getPort() + "/hook";
        String hungUrl = "http://127.0.0.1:" + hung.getAddress().getPort() + "/hook";
        String breaker = ns + ":breaker:{webhook:127.0.0.1:" + hung.getAddress().getPort() + "}";
        int total = healthyJobs + hungJobs;
        // one job in three hung when hungJobs = healthyJobs / 2
        IntFunction<JsonNode> payload = i -> {
            boolean isHung = hungJobs > 0 && i % 3 == 2 && i / 3 < hungJobs;
            return Json.MAPPER.createObjectNode().put("url", (isHung ? hungUrl : healthyUrl) + "/" + i).set("body",
                    Json.MAPPER.createObjectNode().put("n", i));
        };
        List<String> ids;
        double openAfter = -1;
        LocalHost workerHost = null;
        try {
            if (pacedRate <= 0) {
                declare(penv, table);
                ids = prefill(penv, "webhook.deliver", total, payload, 0);
                workerHost = LocalHost.start(HostOptions.of(penv).withFunctionTable(table).withHttpPort(0));
            } else {
                workerHost = LocalHost.start(HostOptions.of(penv).withFunctionTable(table).withHttpPort(0));
                ids = prefill(penv, "webhook.deliver", total, payload, pacedRate);
            }
            long until = System.nanoTime() + Duration.ofSeconds(drainSeconds).toNanos();
            while (delivered.size() < healthyJobs && System.nanoTime() < until) {
                if (openAfter < 0 && firstHungCallNanos != 0 && "open".equals(redis.commands().hget(breaker, "state"))) {
                    openAfter = (System.nanoTime() - firstHungCallNanos) / 1e9;
                }
                Thread.sleep(20);
            }
            // the breaker may open after the healthy jobs are through: keep watching, up to 30 s after the first hung call
            while (hungJobs > 0 && openAfter < 0 && firstHungCallNanos != 0
                    && System.nanoTime() - firstHungCallNanos < Duration.ofSeconds(31).toNanos()) {
                if ("open".equals(redis.commands().hget(breaker, "state"))) {
                    openAfter = (System.nanoTime() - firstHungCallNanos) / 1e9;
                }
                Thread.sleep(50);
            }
        } finally {
            if (workerHost != null) {
                workerHost.close();
            }
        }
        long first = delivered.values().stream().mapToLong(Long::longValue).min().orElse(0);
        long last = delivered.values().stream().mapToLong(Long::longValue).max().orElse(0);
        double rate = delivered.size() / Math.max(1e-3, (last - first) / 1e9);
        // Attempts and latency from the job records: enqueue (createdAt) to succeeded (updatedAt).
        int spent = 0;
        List<Long> latencies = new ArrayList<>();
        try (PlatformClients c = PlatformClients.connect(penv, JobTypeRegistry.fromServiceLoader(), "bench-read")) {
            for (int i = 0; i < ids.size(); i++) {
                JobRecord r = c.store().find(ids.get(i)).orElse(null);
                if (r == null) {
                    continue;
                }
                boolean isHung = payload.apply(i).get("url").asText().startsWith(hungUrl);
                if (isHung && (r.attempts() > 1 || r.error() != null)) { // a claimed run that failed: an attempt spent
                    spent++;
                }
                if (!isHung && r.status() == JobStatus.SUCCEEDED) {
                    latencies.add(Duration.between(r.createdAt(), r.updatedAt()).toMillis());
                }
            }
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long p50 = sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.50))];
        long p99 = sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
        cleanUp(env, ns, redis);
        Histogram hist = new Histogram(3);
        for (long ms : sorted) {
            hist.recordValue(Math.max(1, ms) * 1000);
        }
        return new Phase(rate, hungCalls.get(), round(openAfter), spent, p50, p99, hist);
    }

    /** Declares the phase's topology without running its worker (a host with no function selected). */
    static void declare(Map<String, String> env, FunctionTable table) throws Exception {
        try (Connection c = AmqpConnections.open(env.getOrDefault("JOBS_RABBITMQ_URI", JobsConfig.DEFAULT_RABBITMQ_URI), "bench-declare")) {
            Topology t = JobsConfig.from(env).topology(JobTypeRegistry.fromServiceLoader().names());
            TopologyDeclarer.declare(c, t);
        }
    }

    /**
     * Enqueues jobs the way the submit function does (record, ledger, confirmed publish), without its HTTP
     * path; {@code rate} > 0 paces them. Returns the job ids in order.
     */
    static List<String> prefill(Map<String, String> env, String type, int n, IntFunction<JsonNode> payload,
                                double rate) throws Exception {
        String[] ids = new String[n];
        try (PlatformClients c = PlatformClients.connect(env, JobTypeRegistry.fromServiceLoader(), "bench-prefill");
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            JobMessages messages = new JobMessages(c.topology());
            List<Future<?>> fs = new ArrayList<>();
            long t0 = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            int workers = 32;
            for (int w = 0; w < workers; w++) {
                fs.add(pool.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                        if (rate > 0) {
                            long due = t0 + (long) (i / rate * 1e9);
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                        }
                        Instant now = Instant.now();
                        JobEnvelope job = new JobEnvelope(JobIds.newId(now.toEpochMilli()), "bench", type, payload.apply(i), 4, now);
                        c.store().create(JobRecord.queued(job, now), Duration.ofHours(1));
                        c.ledger().accepted("bench", type, job.jobId());
                        c.publisher().publish(messages.initial(job, null));
                        ids[i] = job.jobId();
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        return Arrays.asList(ids);
    }

    static HttpServer receiver(boolean hangs) throws Exception {
        // The JDK server keeps 200 idle connections by default and closes the rest, so a client with more
        // in flight reuses closed ones: a fault of the test receiver, not of the worker.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "4096");
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        s.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            try {
                if (hangs) {
                    if (hungCalls.getAndIncrement() == 0) {
                        firstHungCallNanos = System.nanoTime();
                    }
                    releaseHung.await(120, TimeUnit.SECONDS); // a hung receiver: answers after 120 s, or when the bench ends
                } else {
                    Thread.sleep(100); // a healthy receiver answering in 100 ms
                    delivered.putIfAbsent(ex.getRequestHeaders().getFirst("webhook-id"), System.nanoTime());
                }
                ex.sendResponseHeaders(204, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        });
        s.start();
        return s;
    }

    private static Map<String, String> phase(Map<String, String> env, String namespace) {
        Map<String, String> e = new HashMap<>(env);
        e.put("JOBS_NAMESPACE", namespace);
        return e;
    }

    private static void cleanUp(Map<String, String> env, String ns, RedisSession redis) {
        try (Connection c = AmqpConnections.open(env.getOrDefault("JOBS_RABBITMQ_URI", JobsConfig.DEFAULT_RABBITMQ_URI), "bench-cleanup")) {
            Topology t = JobsConfig.from(phase(env, ns)).topology(JobTypeRegistry.fromServiceLoader().names());
            for (QueueSpec q : t.queues()) {
                try (Channel ch = c.createChannel()) {
                    ch.queueDelete(q.name());
                } catch (Exception ignored) {
                    // best effort
                }
            }
        } catch (Exception ignored) {
            // best effort
        }
        var keys = redis.commands().keys(ns + ":*");
        if (!keys.isEmpty()) {
            for (int i = 0; i < keys.size(); i += 1000) {
                redis.commands().del(keys.subList(i, Math.min(keys.size(), i + 1000)).toArray(String[]::new));
            }
        }
    }

    private static ObjectNode machine() {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_gb", Math.round(((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / 1e9));
        m.put("java", System.getProperty("java.version"));
        m.put("note", "shared with other builds and benchmarks while measured: compare ratios within one run");
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
