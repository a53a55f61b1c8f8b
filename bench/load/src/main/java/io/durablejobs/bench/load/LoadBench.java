package io.durablejobs.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.sun.management.OperatingSystemMXBean;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.redis.RedisPipeline;
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
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * {@code ./dev bench}: the submit path measured from outside, every figure beside its target.
 * <ol>
 * <li>(0) one client, sequential submits (service latency with no queueing);
 * <li>(a) single submits at 4, 16 and 64 connections, closed loop, against a host running the submit
 * function alone: accepted/s, p50, p99, and the host's CPU per request (the process's CPU time over the
 * phase less the load generator's threads', divided by requests);
 * <li>(b) overload: one tenant limited to {@code BENCH_OVERLOAD_TENANT_RATE} a second, 16 connections as
 * fast as answers come (over 10x its rate): rejections/s and their p99, accepted p99, CPU per answer;
 * (b2) the same load against the stage throttle the host enforces as API Gateway does (platform.json's
 * {@code POST /v1/jobs} limits), where a rejection never reaches the function;
 * <li>(c) end to end: completed no-op jobs/s with single submits beside RabbitMQ's PerfTest on the same
 * broker (same message size, persistence and confirms): R; Redis round trips (socket flushes that carried
 * commands) and commands per job, the worker's pipeline apart; the process's CPU per job;
 * <li>(d) the same with {@code POST /v1/jobs/batch} (500 jobs a request), reported as "route absent" where
 * the API does not serve it.
 * </ol>
 * The host runs in this JVM (API, worker and load generator share the machine's cores; on AWS they would
 * not). Writes results/bench/load.json and results/bench/load-latency.png.
 */
public final class LoadBench {
    private static final Pattern RECEIVING = Pattern.compile("receiving rate avg: (\\d+) msg/s");
    private static final int BATCH_SIZE = 500;

    public static void main(String[] args) throws Exception {
        Map<String, String> sys = System.getenv();
        int seconds = Integer.parseInt(sys.getOrDefault("BENCH_SECONDS", "15"));
        int clients = Integer.parseInt(sys.getOrDefault("BENCH_CLIENTS", "64"));
        int overloadRate = Integer.parseInt(sys.getOrDefault("BENCH_OVERLOAD_TENANT_RATE", "200"));
        int overloadClients = Integer.parseInt(sys.getOrDefault("BENCH_OVERLOAD_CLIENTS", "16"));
        int e2eJobs = Integer.parseInt(sys.getOrDefault("BENCH_E2E_JOBS", "20000"));
        String only = sys.getOrDefault("BENCH_PHASES", "0,a,b,c,d");
        Path out = Path.of(sys.getOrDefault("BENCH_OUT", "results/bench"));
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String key = "bench-" + UUID.randomUUID().toString().replace("-", "");
        Map<String, String> env = new HashMap<>(sys);
        env.put("JOBS_API_KEYS", "bench=" + key);
        env.put("JOBS_RATE_TENANT_PER_SECOND", "0");
        env.put("JOBS_RATE_GLOBAL_PER_SECOND", "0");
        env.put("JOBS_SHED_QUEUE_DEPTH", "0");
        // Capacity is measured apart from API Gateway's stage throttle (phase b2 measures that one).
        env.put("JOBS_HOST_STAGE_THROTTLE", "off");
        // The no-op worker runs in this JVM, where the bench counts its completions.
        env.put("JOBS_HOST_ISOLATION", "thread");
        env.put("JOBS_HOST_API_CONCURRENCY", Integer.toString(Math.max(clients, 64)));
        env.putIfAbsent("JOBS_WEBHOOK_SIGNING_SECRET", "whsec_" + Base64.getEncoder().encodeToString(new byte[32]));
        FunctionTable table;
        try (InputStream in = LoadBench.class.getResourceAsStream("/bench-functions.json")) {
            table = FunctionTable.parse(in);
        }
        String body = "{\"type\":\"bench.noop\",\"payload\":{\"order\":\"A-10042\",\"note\":\"benchmark\"}}";
        int messageBytes = JobMessages.encode(new JobEnvelope(JobIds.newId(System.currentTimeMillis()), "bench", "bench.noop",
                Json.MAPPER.readTree(body).get("payload"), 4, Instant.now())).length;
        System.out.printf("load bench: namespaces %s-*, %d s per phase, message %d bytes, phases %s%n", run, seconds, messageBytes, only);
        String redisUri = env.getOrDefault("JOBS_REDIS_URI", JobsConfig.DEFAULT_REDIS_URI);

        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("when", Instant.now().toString());
        result.set("machine", machine());
        result.put("note", "one JVM holds the host, the worker and the load generator; RabbitMQ and Redis share the same cores;"
                + " other processes may load the machine: compare figures within one run");
        Map<String, Histogram> plot = LatencyPlot.series();
        Targets targets = new Targets();

        // (0) sequential submits: one client, a few thousand requests, one after another
        if (only.contains("0")) {
            int sequential = Integer.parseInt(sys.getOrDefault("BENCH_SEQUENTIAL", "3000"));
            try (RedisSession redis = RedisSession.open(redisUri, false);
                 LocalHost host = LocalHost.start(HostOptions.of(phase(env, run + "-0")).withFunctionTable(table).withHttpPort(0)
                         .withFunctions("submit"))) {
                new LoadClient(host.apiUrl(), key, body).run(1, Duration.ofSeconds(2), 300, 0); // warm-up
                LoadClient seq = new LoadClient(host.apiUrl(), key, body);
                long t0 = System.nanoTime();
                seq.run(1, Duration.ofMinutes(5), sequential, 0);
                double took = (System.nanoTime() - t0) / 1e9;
                Histogram sh = seq.accepted.getIntervalHistogram();
                plot.put("(0) sequential, 1 connection", sh);
                result.set("sequential_1_connection", stats(sh, took, seq));
                cleanUp(env, host, redis, run + "-0");
            }
        }

        // (a) single submits at 4, 16 and 64 connections, the submit function alone
        if (only.contains("a")) {
            ObjectNode an = result.putObject("single_submits");
            try (RedisSession redis = RedisSession.open(redisUri, false);
                 LocalHost host = LocalHost.start(HostOptions.of(phase(env, run + "-a")).withFunctionTable(table).withHttpPort(0)
                         .withFunctions("submit"))) {
                // Warm-up at the most connections the phase uses: the JIT's, and every execution environment the
                // phase will need is started now, so no environment's init (its broker and Redis connections) is
                // counted in a measured window's CPU per request.
                new LoadClient(host.apiUrl(), key, body).run(clients, Duration.ofSeconds(warmUp(15)), Long.MAX_VALUE, 0);
                for (int c : new int[] {4, 16, 64}) {
                    LoadClient a = new LoadClient(host.apiUrl(), key, body);
                    Cpu cpu = Cpu.start();
                    long t0 = System.nanoTime();
                    a.run(c, Duration.ofSeconds(seconds), Long.MAX_VALUE, 0);
                    double took = (System.nanoTime() - t0) / 1e9;
                    Histogram h = a.accepted.getIntervalHistogram();
                    ObjectNode n = stats(h, took, a);
                    n.put("host_cpu_us_per_request", cpu.perRequestMicros(a, h.getTotalCount() + a.rejected429.get() + a.rejected503.get()));
                    n.put("jit_ms_in_phase", cpu.jitMillis());
                    n.put("host_cpu_us_per_request_less_jit", cpu.perRequestMicrosLessJit(a, h.getTotalCount() + a.rejected429.get() + a.rejected503.get()));
                    an.set(c + "_connections", n);
                    plot.put("(a) accepted, " + c + " connections", h);
                }
                cleanUp(env, host, redis, run + "-a");
            }
            ObjectNode c4 = (ObjectNode) an.get("4_connections");
            ObjectNode c16 = (ObjectNode) an.get("16_connections");
            ObjectNode c64 = (ObjectNode) an.get("64_connections");
            targets.add("single submits, 64 connections: accepted/s", c64.get("per_s").asDouble(), ">= 2000",
                    c64.get("per_s").asDouble() >= 2000);
            targets.add("single submits: accepted/s at 64 / at 16", round(c64.get("per_s").asDouble() / c16.get("per_s").asDouble()),
                    ">= 1 (no collapse)", c64.get("per_s").asDouble() >= c16.get("per_s").asDouble());
            targets.add("single submits, 64 connections: p99 / p50", round(c64.get("p99_ms").asDouble() / c64.get("p50_ms").asDouble()),
                    "<= 2.5", c64.get("p99_ms").asDouble() <= 2.5 * c64.get("p50_ms").asDouble());
            targets.add("single submits, 4 connections: p99 ms", c4.get("p99_ms").asDouble(), "<= 10", c4.get("p99_ms").asDouble() <= 10);
            double cpuUs = c64.get("host_cpu_us_per_request").asDouble();
            targets.add("host CPU per single submit, 64 connections: µs", cpuUs, "<= 300", cpuUs <= 300);
        }

        // (b) a tenant at over 10x its rate: the function's rate limiter answers; (b2) the stage throttle answers
        if (only.contains("b")) {
            Map<String, String> overload = phase(env, run + "-b");
            overload.put("JOBS_RATE_TENANT_PER_SECOND", Integer.toString(overloadRate));
            overload.put("JOBS_RATE_TENANT_BURST", Integer.toString(overloadRate));
            ObjectNode bn = overload(result, "overload_tenant_rate", overload, table, key, body, overloadClients, seconds, redisUri, run + "-b",
                    plot, "(b) tenant limit");
            bn.put("tenant_rate_per_s", overloadRate);
            bn.put("offered_x_rate", round((bn.get("accepted").get("per_s").asDouble() + bn.get("rejected").get("per_s").asDouble()) / overloadRate));
            double rej = bn.get("rejected").get("per_s").asDouble();
            double rejP99 = bn.get("rejected").get("p99_ms").asDouble();
            double accP99 = bn.get("accepted").get("p99_ms").asDouble();
            targets.add("overload (tenant limit, " + overloadClients + " connections): rejections/s", rej, ">= 4000", rej >= 4000);
            targets.add("overload: rejected p99 ms", rejP99, "<= 10", rejP99 <= 10);
            targets.add("overload: accepted p99 ms", accP99, "<= 50", accP99 <= 50);
            Map<String, String> stage = phase(env, run + "-b2");
            stage.put("JOBS_HOST_STAGE_THROTTLE", "on");
            ObjectNode b2 = overload(result, "overload_stage_throttle", stage, table, key, body, overloadClients, seconds, redisUri, run + "-b2",
                    plot, "(b2) stage throttle");
            b2.put("stage_limit", "platform.json POST /v1/jobs: 200/s, burst 400");
            targets.add("overload at the stage throttle: rejections/s (rejected p99 ms " + b2.get("rejected").get("p99_ms").asDouble() + ")",
                    b2.get("rejected").get("per_s").asDouble(), ">= 4000", b2.get("rejected").get("per_s").asDouble() >= 4000);
        }

        // (c) end to end through a no-op worker with single submits; (d) the same with batch submits
        double perfTest = 0;
        if (only.contains("c") || only.contains("d")) {
            perfTest = perfTest(env.getOrDefault("JOBS_RABBITMQ_URI", JobsConfig.DEFAULT_RABBITMQ_URI), messageBytes, seconds, run);
            result.put("perftest_msg_per_s", round(perfTest));
        }
        if (only.contains("c")) {
            ObjectNode cn = endToEnd(env, table, run + "-c", redisUri, clients, e2eJobs, key, body, false);
            cn.put("perftest_msg_per_s", round(perfTest));
            double r = perfTest > 0 ? cn.get("jobs_per_s").asDouble() / perfTest : 0;
            cn.put("ratio_R", round(r));
            cn.put("message_bytes", messageBytes);
            result.set("end_to_end_single", cn);
            targets.add("R with single submits (e2e jobs/s ÷ PerfTest msg/s)", round(r), ">= 0.2", r >= 0.2);
            double rt = cn.get("redis_round_trips_per_job").asDouble();
            targets.add("Redis round trips (flushes) per job, single submits (API + worker; worker's "
                    + cn.get("worker_pipeline_round_trips_per_job").asDouble() + ")", rt, "<= 4", rt <= 4);
        }
        if (only.contains("d")) {
            StringBuilder batch = new StringBuilder("{\"jobs\":[");
            String item = body;
            for (int i = 0; i < BATCH_SIZE; i++) {
                batch.append(i == 0 ? "" : ",").append(item);
            }
            String batchBody = batch.append("]}").toString();
            ObjectNode dn = endToEnd(env, table, run + "-d", redisUri, 4, e2eJobs / BATCH_SIZE, key, batchBody, true);
            if (dn.has("route_absent")) {
                targets.add("R with batch submits", "route absent", ">= 0.5", false);
                targets.add("Redis round trips per job, batch submits (amortised)", "route absent", "<= 1", false);
            } else {
                dn.put("perftest_msg_per_s", round(perfTest));
                double r = perfTest > 0 ? dn.get("jobs_per_s").asDouble() / perfTest : 0;
                dn.put("ratio_R", round(r));
                targets.add("R with batch submits (" + BATCH_SIZE + " a request)", round(r), ">= 0.5", r >= 0.5);
                double rt = dn.get("redis_round_trips_per_job").asDouble();
                targets.add("Redis round trips (flushes) per job, batch submits (API + worker; worker's "
                        + dn.get("worker_pipeline_round_trips_per_job").asDouble() + ")", rt, "<= 1 amortised", rt <= 1);
            }
            result.set("end_to_end_batch", dn);
        }

        result.set("targets", targets.json);
        String baseline = sys.get("BENCH_BASELINE_JSON");
        if (baseline != null && Files.isReadable(Path.of(baseline))) {
            result.set("vs_baseline", versus(result, Json.MAPPER.readTree(Files.readString(Path.of(baseline)))));
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("load.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
        if (!plot.isEmpty()) {
            LatencyPlot.write(plot, "Submit latency by percentile (" + result.get("machine").get("cores").asInt() + " cores, "
                    + Instant.now().toString().substring(0, 10) + ")", out.resolve("load-latency.png").toFile());
        }
        System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.out.println();
        System.out.println(targets.table());
        System.out.println("wrote " + out.resolve("load.json") + " and " + out.resolve("load-latency.png"));
        System.exit(0);
    }

    /**
     * This run's figures over the baseline's (another commit's host, measured just before in the same
     * {@code ./dev bench}): above 1 means more of it now.
     */
    private static ObjectNode versus(ObjectNode now, JsonNode before) {
        ObjectNode v = Json.MAPPER.createObjectNode();
        v.put("baseline_when", before.path("when").asText());
        String[][] figures = {
            {"single_submits", "4_connections", "per_s"}, {"single_submits", "4_connections", "p99_ms"},
            {"single_submits", "16_connections", "per_s"}, {"single_submits", "16_connections", "p99_ms"},
            {"single_submits", "64_connections", "per_s"}, {"single_submits", "64_connections", "p99_ms"},
            {"single_submits", "64_connections", "host_cpu_us_per_request"},
            {"overload_tenant_rate", "rejected", "per_s"}, {"overload_tenant_rate", "rejected", "p99_ms"},
            {"overload_tenant_rate", "accepted", "p99_ms"}, {"overload_tenant_rate", null, "host_cpu_us_per_answer"},
            {"overload_stage_throttle", "rejected", "per_s"}, {"overload_stage_throttle", "rejected", "p99_ms"},
            {"overload_stage_throttle", null, "host_cpu_us_per_answer"}};
        for (String[] f : figures) {
            JsonNode a = f[1] == null ? now.path(f[0]).path(f[2]) : now.path(f[0]).path(f[1]).path(f[2]);
            JsonNode b = f[1] == null ? before.path(f[0]).path(f[2]) : before.path(f[0]).path(f[1]).path(f[2]);
            if (a.isNumber() && b.isNumber() && b.asDouble() > 0) {
                String name = f[0] + "." + (f[1] == null ? "" : f[1] + ".") + f[2];
                v.putObject(name).put("now", a.asDouble()).put("baseline", b.asDouble()).put("ratio", round(a.asDouble() / b.asDouble()));
                System.out.printf("  vs baseline: %-60s %10.2f / %10.2f = %.2fx%n", name, a.asDouble(), b.asDouble(), a.asDouble() / b.asDouble());
            }
        }
        return v;
    }

    /** Closed-loop overload against one host: accepted and rejected answers apart, and CPU per answer. */
    private static ObjectNode overload(ObjectNode result, String name, Map<String, String> env, FunctionTable table, String key, String body,
            int clients, int seconds, String redisUri, String ns, Map<String, Histogram> plot, String label) throws Exception {
        ObjectNode bn = result.putObject(name);
        try (RedisSession redis = RedisSession.open(redisUri, false);
             LocalHost host = LocalHost.start(HostOptions.of(env).withFunctionTable(table).withHttpPort(0).withFunctions("submit"))) {
            // Warm-up: with 3 s the JIT's compiler threads took about a core through the measured window (its
            // compile time there was longer than the window), so the window measured the compiler, not a refusal.
            new LoadClient(host.apiUrl(), key, body).run(clients, Duration.ofSeconds(warmUp(15)), Long.MAX_VALUE, 0);
            LoadClient b = new LoadClient(host.apiUrl(), key, body);
            Cpu cpu = Cpu.start();
            long t0 = System.nanoTime();
            b.run(clients, Duration.ofSeconds(seconds), Long.MAX_VALUE, 0);
            double took = (System.nanoTime() - t0) / 1e9;
            Histogram acc = b.accepted.getIntervalHistogram();
            Histogram rej = b.rejected.getIntervalHistogram();
            plot.put(label + ": accepted", acc);
            plot.put(label + ": rejected", rej);
            bn.put("connections", clients);
            bn.set("accepted", stats(acc, took, null));
            bn.set("rejected", stats(rej, took, null));
            bn.put("rejected_429", b.rejected429.get());
            bn.put("rejected_503", b.rejected503.get());
            bn.put("errors", b.errors.get());
            bn.put("host_cpu_us_per_answer", cpu.perRequestMicros(b, acc.getTotalCount() + rej.getTotalCount()));
            bn.put("jit_ms_in_phase", cpu.jitMillis());
            bn.put("host_cpu_us_per_answer_less_jit", cpu.perRequestMicrosLessJit(b, acc.getTotalCount() + rej.getTotalCount()));
            cleanUp(env, host, redis, ns);
        }
        return bn;
    }

    /**
     * Submits {@code requests} requests (each {@code jobsPerRequest} jobs when {@code batch}) through a host
     * running the submit function and the no-op worker, and waits for every accepted job to complete.
     */
    private static ObjectNode endToEnd(Map<String, String> env, FunctionTable table, String ns, String redisUri, int clients,
            long requests, String key, String body, boolean batch) throws Exception {
        ObjectNode cn = Json.MAPPER.createObjectNode();
        NoopJobType.COMPLETED.set(0);
        Map<String, String> e = phase(env, ns);
        try (RedisSession redis = RedisSession.open(redisUri, false);
             LocalHost host = LocalHost.start(HostOptions.of(e).withFunctionTable(table).withHttpPort(0))) {
            LoadClient c = batch ? new LoadClient(host.apiUrl(), "/v1/jobs/batch", key, body, true) : new LoadClient(host.apiUrl(), key, body);
            if (batch) {
                LoadClient probe = new LoadClient(host.apiUrl(), "/v1/jobs/batch", key, "{\"jobs\":[]}", true);
                probe.run(1, Duration.ofSeconds(10), 1, 0);
                if (probe.lastOtherStatus == 404 || probe.lastOtherStatus == 405) {
                    System.out.println("(d) batch submits: POST /v1/jobs/batch answers " + probe.lastOtherStatus + ": route absent");
                    cn.put("route_absent", true);
                    cleanUp(e, host, redis, ns);
                    return cn;
                }
            }
            // The same load, unmeasured, until the JIT has compiled the submit and worker paths (PerfTest's
            // rate beside it is a steady state too); its jobs finish before the measured window opens.
            LoadClient warm = batch ? new LoadClient(host.apiUrl(), "/v1/jobs/batch", key, body, true) : new LoadClient(host.apiUrl(), key, body);
            warm.run(clients, Duration.ofSeconds(warmUp(15)), Long.MAX_VALUE, 0);
            long warmDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (NoopJobType.COMPLETED.get() < warm.jobsAccepted.get() && System.nanoTime() < warmDeadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
            NoopJobType.COMPLETED.set(0);
            long redisBefore = RedisSession.commandsSent();
            long flushesBefore = RedisSession.flushesSent();
            long workerCommandsBefore = RedisPipeline.commandsSent();
            long workerFlushesBefore = RedisPipeline.flushesSent();
            Cpu cpu = Cpu.start();
            long start = System.nanoTime();
            c.run(clients, Duration.ofMinutes(10), requests, 0);
            long accepted = c.jobsAccepted.get();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (NoopJobType.COMPLETED.get() < accepted && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(1500); // let the last acks and status writes land before counting Redis calls
            long redisAfter = RedisSession.commandsSent();
            long flushes = RedisSession.flushesSent() - flushesBefore;
            long workerCommands = RedisPipeline.commandsSent() - workerCommandsBefore;
            long workerFlushes = RedisPipeline.flushesSent() - workerFlushesBefore;
            double e2e = NoopJobType.COMPLETED.get() / ((NoopJobType.lastNanos - start) / 1e9);
            cn.put("requests", c.acceptedCount.get());
            cn.put("jobs_accepted", accepted);
            cn.put("completed", NoopJobType.COMPLETED.get());
            cn.put("errors", c.errors.get());
            cn.put("jobs_per_s", round(e2e));
            double jobs = Math.max(1, NoopJobType.COMPLETED.get());
            // A round trip is a flush of a socket to Redis that carried commands (counted by every connection's
            // channel), however many it carried; commands are counted apart. The worker's share is what its
            // group-commit pipeline sent; the rest is the API's (and the few calls the worker makes outside it).
            cn.put("redis_round_trips_per_job", round3(flushes / jobs));
            cn.put("redis_commands_per_job", round3((redisAfter - redisBefore) / jobs));
            cn.put("worker_pipeline_round_trips_per_job", round3(workerFlushes / jobs));
            cn.put("worker_pipeline_commands_per_job", round3(workerCommands / jobs));
            cn.put("other_round_trips_per_job", round3((flushes - workerFlushes) / jobs));
            cn.put("process_cpu_us_per_job", round(cpu.perRequestMicros(c, (long) jobs)));
            cleanUp(e, host, redis, ns);
        }
        return cn;
    }

    /**
     * Seconds of load before a phase's measured window (the JIT's warm-up), {@code BENCH_WARMUP_SECONDS} or the
     * phase's default. The JIT's compiler threads count in the process's CPU: with a short warm-up their work
     * lands in the window, so CPU per request is dearer and moves from run to run ({@code jit_ms_in_phase}).
     */
    private static int warmUp(int phaseDefault) {
        String s = System.getenv("BENCH_WARMUP_SECONDS");
        return s == null || s.isBlank() ? phaseDefault : Integer.parseInt(s.trim());
    }

    /** The process's CPU time, less the load generator's, over a phase; and the JIT's compile time meanwhile. */
    private record Cpu(long processNanos, long jitMillisAtStart, long compilerCpuAtStart) {
        static Cpu start() {
            return new Cpu(processCpu(), jit(), compilerThreadsCpu());
        }

        /** As {@link #perRequestMicros}, less the JIT compiler threads' CPU (Linux; the same figure elsewhere). */
        double perRequestMicrosLessJit(LoadClient client, long requests) {
            long host = processCpu() - processNanos - client.cpuNanos() - Math.max(0, compilerThreadsCpu() - compilerCpuAtStart);
            return round(host / 1000.0 / Math.max(1, requests));
        }

        /**
         * CPU time of the JIT's compiler threads, from {@code /proc/self/task} (they are not Java threads, so the
         * thread MXBean does not see them); 0 where there is no such file system.
         */
        static long compilerThreadsCpu() {
            long ticks = 0;
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path t : (Iterable<Path>) tasks::iterator) {
                    try {
                        String comm = Files.readString(t.resolve("comm")).trim();
                        if (!comm.startsWith("C1 Compiler") && !comm.startsWith("C2 Compiler")) {
                            continue;
                        }
                        String stat = Files.readString(t.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
                    } catch (java.io.IOException | RuntimeException gone) {
                        // the thread ended meanwhile
                    }
                }
            } catch (java.io.IOException | RuntimeException none) {
                return 0;
            }
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        }

        /** Milliseconds the JIT spent compiling since the phase began (its threads' CPU is in the process's). */
        long jitMillis() {
            return jit() - jitMillisAtStart;
        }

        static long jit() {
            var c = ManagementFactory.getCompilationMXBean();
            return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
        }

        double perRequestMicros(LoadClient client, long requests) {
            long host = processCpu() - processNanos - client.cpuNanos();
            return round(host / 1000.0 / Math.max(1, requests));
        }

        static long processCpu() {
            return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }
    }

    /** Every target beside its figure, for load.json and the console. */
    private static final class Targets {
        final ArrayNode json = Json.MAPPER.createArrayNode();

        void add(String measure, double figure, String target, boolean met) {
            json.addObject().put("measure", measure).put("figure", figure).put("target", target).put("met", met);
        }

        void add(String measure, String figure, String target, boolean met) {
            json.addObject().put("measure", measure).put("figure", figure).put("target", target).put("met", met);
        }

        String table() {
            StringBuilder sb = new StringBuilder("targets (figure | target | met):\n");
            json.forEach(t -> sb.append(String.format("  %-75s %10s | %-22s | %s%n", t.get("measure").asText(), t.get("figure").asText(),
                    t.get("target").asText(), t.get("met").asBoolean() ? "yes" : "MISS")));
            return sb.toString();
        }
    }

    private static ObjectNode stats(Histogram h, double seconds, LoadClient c) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("count", h.getTotalCount());
        n.put("per_s", round(h.getTotalCount() / seconds));
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
        // SCAN in pages, not KEYS: a long end-to-end phase leaves over a million keys, which KEYS cannot list
        // within a command's timeout. Best effort: a failure is reported, the phase's figures are kept.
        try {
            var commands = redis.lettuce();
            List<String> page = new ArrayList<>(1000);
            for (var it = ScanIterator.scan(commands, ScanArgs.Builder.matches(ns + ":*").limit(1000));
                 it.hasNext(); ) {
                page.add(it.next());
                if (page.size() == 1000) {
                    commands.unlink(page.toArray(String[]::new));
                    page.clear();
                }
            }
            if (!page.isEmpty()) {
                commands.unlink(page.toArray(String[]::new));
            }
        } catch (RuntimeException e) {
            System.out.printf("cleanup of %s:* in Redis did not finish (%s); its keys expire by themselves%n", ns, e);
        }
    }

    private static ObjectNode machine() {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_gb", Math.round(((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / 1e9));
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return m;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
