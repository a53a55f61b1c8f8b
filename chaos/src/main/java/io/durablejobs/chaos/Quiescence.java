package io.durablejobs.chaos;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The end of a run: every accepted job has a terminal status recorded (succeeded or dead_lettered, per
 * the status ledger), and the run's queues hold no message (ready or unacknowledged), twice in a row.
 */
final class Quiescence {
    private Quiescence() {
    }

    record Result(boolean reached, double waitedSeconds, long unfinishedJobs, Map<String, long[]> queues) {
    }

    static Result await(ChaosStack stack, Set<String> accepted, Duration timeout, boolean deadQueueConsumed) throws InterruptedException {
        long t0 = System.nanoTime();
        long until = t0 + timeout.toNanos();
        int stable = 0;
        long unfinished = Long.MAX_VALUE;
        Map<String, long[]> queues = Map.of();
        long lastPrint = 0;
        while (System.nanoTime() < until) {
            unfinished = accepted.stream().filter(id -> !terminal(stack.ledger, id)).count();
            if (unfinished == 0) {
                queues = queueDepths(stack, deadQueueConsumed);
                boolean empty = queues.values().stream().allMatch(v -> v[0] == 0 && v[1] == 0);
                stable = empty ? stable + 1 : 0;
                if (stable >= 2) {
                    return new Result(true, FaultInjector.seconds(t0), 0, queues);
                }
            }
            if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                lastPrint = System.nanoTime();
                Map<String, Long> by = new TreeMap<>();
                accepted.stream().filter(id -> !terminal(stack.ledger, id)).forEach(id -> {
                    StatusLedger.Trail t = stack.ledger.trail(id);
                    by.merge(String.valueOf(t == null ? "never written" : t.lastStatus()), 1L, Long::sum);
                });
                System.out.printf("[chaos] waiting for quiescence: %d of %d accepted jobs not finished, by last status %s%n", unfinished,
                        accepted.size(), by);
            }
            Thread.sleep(1000);
        }
        if (stack.broker != null) {
            queues = queueDepths(stack, deadQueueConsumed);
        }
        return new Result(false, FaultInjector.seconds(t0), unfinished, queues);
    }

    static boolean terminal(StatusLedger ledger, String jobId) {
        StatusLedger.Trail t = ledger.trail(jobId);
        String s = t == null ? null : t.lastStatus();
        return "succeeded".equals(s) || "dead_lettered".equals(s);
    }

    /** The run's queues (its namespace) with ready and unacknowledged counts; the dead queue only when consumed. */
    static Map<String, long[]> queueDepths(ChaosStack stack, boolean deadQueueConsumed) {
        if (stack.broker == null) {
            return Map.of();
        }
        Map<String, long[]> all = stack.broker.queues();
        all.keySet().removeIf(q -> !q.startsWith(stack.namespace + ".") || (!deadQueueConsumed && (q.equals(stack.namespace + ".dead") || q.equals(stack.namespace + ".dead.parked"))));
        return all;
    }
}
