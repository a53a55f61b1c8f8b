package io.durablejobs.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the fault schedule on its own thread: fault {@code i} of {@code n} fires once {@code (i+1)/(n+1)} of
 * the keys are submitted and the previous fault has recovered. Records what it did and when.
 */
final class FaultInjector implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

    private final ChaosStack stack;
    private final List<Fault.Kind> schedule;
    private final int jobs;
    private final LongSupplier submitted;
    private final SubmitGate gate;
    private final long startNanos;
    final List<Fault> done = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();

    FaultInjector(ChaosStack stack, List<Fault.Kind> schedule, int jobs, LongSupplier submitted, SubmitGate gate, long startNanos) {
        this.stack = stack;
        this.schedule = schedule;
        this.jobs = jobs;
        this.submitted = submitted;
        this.gate = gate;
        this.startNanos = startNanos;
    }

    @Override
    public void run() {
        for (int i = 0; i < schedule.size(); i++) {
            long due = (long) Math.ceil(jobs * (i + 1) / (double) (schedule.size() + 1));
            while (submitted.getAsLong() < due) {
                if (!sleep(100)) {
                    return;
                }
            }
            Fault.Kind kind = schedule.get(i);
            double at = seconds(startNanos);
            double share = submitted.getAsLong() / (double) jobs;
            long t0 = System.nanoTime();
            try {
                String detail = inject(kind);
                Fault f = new Fault(kind, at, seconds(t0), share, detail);
                done.add(f);
                LOG.info("fault {} at {}s ({}% submitted) took {}s: {}", kind.wire, round(at), Math.round(share * 100), round(f.tookSeconds()),
                        detail);
                System.out.printf("[chaos] %6.1fs fault %-29s %s%n", at, kind.wire, detail);
            } catch (RuntimeException e) {
                problems.add(kind.wire + ": " + e.getMessage());
                LOG.error("fault {} failed", kind.wire, e);
            }
        }
    }

    private String inject(Fault.Kind kind) {
        switch (kind) {
            case WORKER_KILL -> {
                for (int tries = 0; tries < 300; tries++) {
                    int envs = stack.workers.alive().size();
                    long before = stack.receiver.total();
                    sleep(100);
                    // Mid-batch: the receiver is being called right now, so an environment holds a batch.
                    if (envs > 0 && stack.receiver.total() > before) {
                        Optional<Long> pid = stack.workers.killOne();
                        if (pid.isPresent()) {
                            return "killed environment pid " + pid.get() + " of " + envs + " while deliveries were in flight";
                        }
                    }
                }
                throw new IllegalStateException("no busy worker environment to kill within 30 s");
            }
            case BROKER_APP_RESTART -> {
                stack.broker.restartApp();
                return "node " + stack.broker.node();
            }
            case BROKER_NODE_KILL -> {
                long pid = stack.broker.hardKillAndRestart(Duration.ofSeconds(1));
                return "killed beam.smp pid " + pid + ", node back as pid " + stack.broker.pid().orElse(-1L);
            }
            case REDIS_RESTART_AOF -> {
                long pid = stack.redis.pid();
                stack.redis.killAndRestart(RedisServer.Persistence.AOF, Duration.ofSeconds(1));
                return "killed redis pid " + pid + " (AOF everysec), back as pid " + stack.redis.pid() + " on the same data";
            }
            case REDIS_RESTART_NO_PERSISTENCE -> {
                long t0 = System.nanoTime();
                try {
                    boolean drained = gate.closeAndDrain(Duration.ofMinutes(5).toMillis());
                    if (!drained) {
                        throw new IllegalStateException("client keys still in flight after 5 min; restart not done");
                    }
                    double quiet = seconds(t0);
                    long pid = stack.redis.pid();
                    stack.redis.killAndRestart(RedisServer.Persistence.NONE, Duration.ofSeconds(1));
                    return "clients paused " + round(quiet) + "s until no key was in flight; killed redis pid " + pid
                            + ", back empty as pid " + stack.redis.pid() + " (data generation " + stack.ledger.generation() + ")";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                } finally {
                    gate.open();
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    private static boolean sleep(long ms) {
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }
}
