package io.durablejobs.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.work.JobMessages;
import io.durablejobs.host.FunctionTable;
import io.durablejobs.host.HostOptions;
import io.durablejobs.host.LocalHost;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * {@code ./dev bench}: (a) accepted submits at 64 concurrent clients, (b) 10x overload with accepted and
 * rejected latencies apart, (c) end-to-end completed jobs per second for a no-op type beside RabbitMQ's
 * PerfTest on the same broker (same message size, persistence and confirms), and Redis round trips per
 * accepted job. The host runs in this JVM (API, worker and load generator share the machine's 2 cores;
 * on AWS they would not). Writes results/bench/load.json and results/bench/load-latency.png.
 */
public final class LoadBench {
    private static final Pattern RECEIVING = Pattern.compile("receiving rate avg: (\\d+) msg/s");

    public static void main(String[] args) throws Exception {
        Map<String, String> sys = System.getenv();
        int seconds = Integer.parseInt(sys.getOrDefault("BENCH_SECONDS", "15"));
        int clients = Integer.parseInt(sys.getOrDefault("BENCH_CLIENTS", "64"));
        int overloadRate = Integer.parseInt(sys.getOrDefault("BENCH_OVERLOAD_TENANT_RATE", "200"));
        int e2eJobs = Integer.parseInt(sys.getOrDefault("BENCH_E2E_JOBS", "20000"));
        Path out = Path.of(sys.getOrDefault("BENCH_OUT", "results/bench"));
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "bench-" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> env = new HashMap<>(sys);
        env.put("JOBS_API_KEYS", "bench=" + key);
        env.put("JOBS_RATE_TENANT_PER_SECOND", "0");
        env.put("JOBS_RATE_GLOBAL_PER_SECOND", "0");
        env.put("JOBS_SHED_QUEUE_DEPTH", "0");
        env.put("JOBS_HOST_API_CONCURRENCY", Integer.toString(clients));
        env.putIfAbsent("JOBS_WEBHOOK_SIGNING_SECRET", "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]));
        FunctionTable table;
        try (InputStream in = LoadBench.class.getResourceAsStream("/bench-functions.json")) {
            table = FunctionTable.parse(in);
        }
        String body = "{\"type\":\"bench.noop\",\"payload\":{\"order\":\"A-10042\",\"note\":\"benchmark\"}}";
        int messageBytes = JobMessages.encode(new JobEnvelope(JobIds.newId(System.currentTimeMillis()), "bench", "bench.noop",
                Json.MAPPER.readTree(body).get("payload"), 4, Instant.now())).length;
        System.out.printf("load bench: namespaces %s-*, %d clients, %d s per phase, message %d bytes%n", run, clients, seconds, messageBytes);

        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("when", Instant.now().toString());
        result.set("machine", machine());
        Map<String, Histogram> plot = LatencyPlot.series();

        // (0) sequential submits: one client, a few thousand requests, one after another
        int sequential = Integer.parseInt(sys.getOrDefault("BENCH_SEQUENTIAL", "3000"));
        LoadClient seq;
        try (RedisSession redis = RedisSession.open(env.getOrDefault("JOBS_REDIS_URI", JobsConfig.DEFAULT_REDIS_URI), false);
             LocalHost host = LocalHost.start(HostOptions.of(phase(env, run + "-0")).withFunctionTable(table).withHttpPort(0))) {
            new LoadClient(host.apiUrl(), key, body).run(1, Duration.ofSeconds(2), 300, 0); // warm-up
            seq = new LoadClient(host.apiUrl(), key, body);
            long t0 = System.nanoTime();
            seq.run(1, Duration.ofMinutes(5), sequential, 0);
            double took = (System.nanoTime() - t0) / 1e9;
            Histogram sh = seq.accepted.getIntervalHistogram();
            plot.put("(0) sequential, 1 client", sh);
            ObjectNode sn = stats(sh, (int) Math.max(1, Math.round(took)), seq);
            result.set("sequential_1_client", sn);
            cleanUp(env, host, redis, run + "-0");
        }

        // (a) accepted submits, closed loop
        String redisUri = env.getOrDefault("JOBS_REDIS_URI", JobsConfig.DEFAULT_REDIS_URI);
        LoadClient a;
        try (RedisSession redis = RedisSession.open(redisUri, false);
             LocalHost host = LocalHost.start(HostOptions.of(phase(env, run + "-a")).withFunctionTable(table).withHttpPort(0))) {
            new LoadClient(host.apiUrl(), key, body).run(clients, Duration.ofSeconds(3), Long.MAX_VALUE, 0); // warm-up
            a = new LoadClient(host.apiUrl(), key, body);
            a.run(clients, Duration.ofSeconds(seconds), Long.MAX_VALUE, 0);
            cleanUp(env, host, redis, run + "-a");
        }
        Histogram ah = a.accepted.getIntervalHistogram();
        plot.put("(a) accepted, " + clients + " clients", ah);
        result.set("accepted_64_clients", stats(ah, seconds, a));

        // (b) 10x overload of one tenant's rate
        Map<String, String> overload = phase(env, run + "-b");
        overload.put("JOBS_RATE_TENANT_PER_SECOND", Integer.toString(overloadRate));
        overload.put("JOBS_RATE_TENANT_BURST", Integer.toString(overloadRate));
        LoadClient b;
        try (RedisSession redis = RedisSession.open(redisUri, false);
             LocalHost host = LocalHost.start(HostOptions.of(overload).withFunctionTable(table).withHttpPort(0))) {
            new LoadClient(host.apiUrl(), key, body).run(clients, Duration.ofSeconds(2), Long.MAX_VALUE, 10.0 * overloadRate);
            b = new LoadClient(host.apiUrl(), key, body);
            b.run(clients, Duration.ofSeconds(seconds), Long.MAX_VALUE, 10.0 * overloadRate);
            cleanUp(env, host, redis, run + "-b");
        }
        Histogram bAcc = b.accepted.getIntervalHistogram();
        Histogram bRej = b.rejected.getIntervalHistogram();
        plot.put("(b) overload: accepted", bAcc);
        plot.put("(b) overload: rejected", bRej);
        ObjectNode bn = result.putObject("overload_10x");
        bn.put("tenant_rate_per_s", overloadRate);
        bn.put("offered_per_s", 10 * overloadRate);
        bn.set("accepted", stats(bAcc, seconds, null));
        bn.set("rejected", stats(bRej, seconds, null));
        bn.put("rejected_429", b.rejected429.get());
        bn.put("rejected_503", b.rejected503.get());
        bn.put("errors", b.errors.get());

        // (c) end to end through a no-op worker, and Redis round trips per job
        NoopJobType.COMPLETED.set(0);
        long redisBefore;
        long redisAfter;
        double e2e;
        long accepted;
        try (RedisSession redis = RedisSession.open(redisUri, false);
             LocalHost host = LocalHost.start(HostOptions.of(phase(env, run + "-c")).withFunctionTable(table).withHttpPort(0))) {
            redisBefore = RedisSession.commandsSent();
            long start = System.nanoTime();
            LoadClient c = new LoadClient(host.apiUrl(), key, body);
            c.run(clients, Duration.ofMinutes(10), e2eJobs, 0);
            accepted = c.acceptedCount.get();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (NoopJobType.COMPLETED.get() < accepted && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(1500); // let the last acks and status writes land before counting Redis calls
            redisAfter = RedisSession.commandsSent();
            e2e = NoopJobType.COMPLETED.get() / ((NoopJobType.lastNanos - start) / 1e9);
            cleanUp(env, host, redis, run + "-c");
        }
        double perJob = (redisAfter - redisBefore) / (double) Math.max(1, NoopJobType.COMPLETED.get());
        double perfTest = perfTest(env.getOrDefault("JOBS_RABBITMQ_URI", JobsConfig.DEFAULT_RABBITMQ_URI), messageBytes, seconds, run);
        ObjectNode cn = result.putObject("end_to_end");
        cn.put("jobs", accepted);
        cn.put("completed", NoopJobType.COMPLETED.get());
        cn.put("jobs_per_s", round(e2e));
        cn.put("perftest_msg_per_s", round(perfTest));
        cn.put("ratio_R", perfTest > 0 ? round(e2e / perfTest) : 0);
        cn.put("message_bytes", messageBytes);
        cn.put("redis_round_trips_per_job", round(perJob));

        Files.createDirectories(out);
        Files.writeString(out.resolve("load.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
        LatencyPlot.write(plot, "Submit latency by percentile (" + result.get("machine").get("cores").asInt() + " cores, "
                + Instant.now().toString().substring(0, 10) + ")", out.resolve("load-latency.png").toFile());
        System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.printf("%nsequential: p50 %.2f ms, p99 %.2f ms over %d requests%n",
                result.get("sequential_1_client").get("p50_ms").asDouble(), result.get("sequential_1_client").get("p99_ms").asDouble(),
                result.get("sequential_1_client").get("count").asLong());
        System.out.printf("targets: accepted p99 %.2f ms (<= 10) | overload rejected p99 %.2f ms (<= 5), accepted p99 %.2f ms (<= 20)"
                        + " | R %.2f (>= 0.5) | Redis round trips per job %.2f (<= 4)%n",
                ah.getValueAtPercentile(99) / 1000.0, bRej.getValueAtPercentile(99) / 1000.0, bAcc.getValueAtPercentile(99) / 1000.0,
                perfTest > 0 ? e2e / perfTest : 0, perJob);
        System.out.println("wrote " + out.resolve("load.json") + " and " + out.resolve("load-latency.png"));
        System.exit(0);
    }

    private static ObjectNode stats(Histogram h, int seconds, LoadClient c) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("count", h.getTotalCount());
        n.put("per_s", round(h.getTotalCount() / (double) seconds));
        n.put("p50_ms", h.getValueAtPercentile(50) / 1000.0);
        n.put("p95_ms", h.getValueAtPercentile(95) / 1000.0);
        n.put("p99_ms", h.getValueAtPercentile(99) / 1000.0);
        n.put("max_ms", h.getMaxValue() / 1000.0);
        if (c != null) {
            n.put("errors", c.errors.get());
            n.put("rejected", c.rejected429.get() + c.rejected503.get());
        }
        return n;
    }

    /** Each phase in a namespace of its own: no job of one phase is counted in another. */
    private static Map<String, String> phase(Map<String, String> env, String namespace) {
        Map<String, String> e = new HashMap<>(env);
        e.put("JOBS_NAMESPACE", namespace);
        return e;
    }

    /** PerfTest, in a child JVM: 1 producer, 1 consumer, same message size, persistent, confirms, a quorum queue. */
    private static double perfTest(String uri, int size, int seconds, String ns) throws Exception {
        String queue = ns + ".perftest";
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "com.rabbitmq.perf.PerfTest",
                "--uri", uri, "--producers", "1", "--consumers", "1", "--size", Integer.toString(size), "--flag", "persistent",
                "--confirm", "64", "--quorum-queue", "--queue", queue, "--time", Integer.toString(seconds))
                .redirectErrorStream(true).start();
        double rate = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = RECEIVING.matcher(line);
                if (m.find()) {
                    rate = Double.parseDouble(m.group(1));
                }
            }
        }
        p.waitFor();
        try (Connection c = AmqpConnections.open(uri, "bench-cleanup"); Channel ch = c.createChannel()) {
            ch.queueDelete(queue);
        } catch (Exception ignored) {
            // best effort
        }
        System.out.printf("perftest: %.0f msg/s received%n", rate);
        return rate;
    }

    private static void cleanUp(Map<String, String> env, LocalHost host, RedisSession redis, String ns) {
        try (Connection c = AmqpConnections.open(env.getOrDefault("JOBS_RABBITMQ_URI", JobsConfig.DEFAULT_RABBITMQ_URI), "bench-cleanup")) {
            for (QueueSpec q : host.topology().queues()) {
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
            redis.commands().del(keys.toArray(String[]::new));
        }
    }

    private static ObjectNode machine() {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_gb", Math.round(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / 1e9));
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
