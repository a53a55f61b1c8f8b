package io.durablejobs.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chaos run from start to report: the stack up, the clients pushing jobs while the faults fire, the wait
 * for quiescence, the figures and invariants, the report written, everything stopped.
 */
final class ChaosRun {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);

    private ChaosRun() {
    }

    /** @param workerTimeoutSeconds the worker function's timeout for this run (a killed environment's lease lasts about that long) */
    static ChaosReport run(ChaosSettings s, int workerTimeoutSeconds) throws Exception {
        if (!s.sharedServices() && !(BrokerNode.installed() && RedisServer.installed())) {
            throw new IllegalStateException("rabbitmq-server, rabbitmqctl and redis-server must be installed to start a broker node "
                    + "and a Redis of the run's own (or pass --shared-services, which injects no broker or Redis faults)");
        }
        if (s.sharedServices() && s.faults().stream().anyMatch(Fault.Kind::needsOwnServices)) {
            throw new IllegalArgumentException("--shared-services allows only worker-kill faults: the others would disturb other users");
        }
        String runId = UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        System.out.printf("[chaos] run %s: %d jobs, faults %s%n", runId, s.jobs(), s.faults().stream().map(k -> k.wire).toList());
        try (ChaosStack stack = new ChaosStack(runId, s, workerTimeoutSeconds)) {
            Thread hook = new Thread(stack::close, "chaos-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                System.out.printf("[chaos] stack up in %.1fs: broker %s, redis %s, functions %s%n", FaultInjector.seconds(t0),
                        stack.broker != null ? stack.broker.node() : "SHARED", stack.redis != null ? stack.redis.uri() : "SHARED",
                        stack.functions);
                SubmitGate gate = new SubmitGate();
                SubmitClients clients = new SubmitClients(stack.host.apiUrl(), stack.apiKey, stack.receiver, runId,
                        new SubmitClients.Plan(s.jobs(), s.clients(), s.rate(), s.duplicateShare(), s.goneShare(), Duration.ofMinutes(10)),
                        gate);
                long start = System.nanoTime();
                FaultInjector faults = new FaultInjector(stack, s.faults(), s.jobs(), clients.keysDone::get, gate, start);
                Thread injector = new Thread(faults, "fault-injector");
                injector.start();
                Thread progress = progress(clients, stack, s.jobs(), start);
                clients.run();
                double submitSeconds = FaultInjector.seconds(start);
                System.out.printf("[chaos] %6.1fs all %d keys answered (%d accepted jobs); faults left: %d%n", submitSeconds, s.jobs(),
                        clients.keyByJobId.size(), s.faults().size() - faults.done.size() - faults.problems.size());
                injector.join();
                boolean deadConsumed = stack.functions.contains("dlq-consumer");
                Quiescence.Result quiet = Quiescence.await(stack, clients.keyByJobId.keySet(), s.quiescenceTimeout(), deadConsumed);
                progress.interrupt();
                stack.monitor.drain();
                Map<String, String> records = FinalRecords.read(stack.redis != null ? stack.redis.uri()
                        : System.getenv().getOrDefault("JOBS_REDIS_URI", "redis://127.0.0.1:6379"), stack.namespace, clients.keyByJobId.keySet());
                ChaosReport report = ChaosReport.build(s, stack, clients, faults, quiet, records, submitSeconds, FaultInjector.seconds(t0));
                Path file = s.results().resolve("report-" + s.jobs() + ".json");
                report.write(file);
                System.out.print(report.summary());
                System.out.println("[chaos] report: " + file + " (and .txt)");
                return report;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down already: the hook runs
                }
            }
        } catch (Exception e) {
            LOG.error("chaos run failed", e);
            throw e;
        }
    }

    private static Thread progress(SubmitClients clients, ChaosStack stack, int jobs, long start) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(10_000);
                    long done = clients.keyByJobId.keySet().stream().filter(id -> Quiescence.terminal(stack.ledger, id)).count();
                    System.out.printf("[chaos] %6.1fs keys answered %d/%d, accepted %d, finished %d, receiver deliveries %d%n",
                            FaultInjector.seconds(start), clients.keysDone.get(), jobs, clients.keyByJobId.size(), done,
                            stack.receiver.total());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "chaos-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
