package io.durablejobs.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one chaos run does. {@code faults} is the schedule, in order; each fault fires when that share of
 * the keys has been submitted ({@code i+1}/{@code n+1}), after the previous fault has recovered.
 *
 * @param rate              submissions started per second over all clients (0 = as fast as the API takes them)
 * @param workerConcurrency pollers (environments) of the webhook worker
 * @param sharedServices    run against the machine's RabbitMQ and Redis instead of own ones (no broker or
 *                          Redis faults then; said loudly in the report)
 */
record ChaosSettings(int jobs, int clients, double rate, double duplicateShare, double goneShare, double unavailableShare,
                     List<Fault.Kind> faults, int workerConcurrency, Duration quiescenceTimeout, Path results,
                     Path functionsFile, boolean sharedServices) {

    static final List<Fault.Kind> FULL = List.of(Fault.Kind.WORKER_KILL, Fault.Kind.BROKER_APP_RESTART, Fault.Kind.WORKER_KILL,
            Fault.Kind.REDIS_RESTART_AOF, Fault.Kind.BROKER_NODE_KILL, Fault.Kind.WORKER_KILL, Fault.Kind.REDIS_RESTART_NO_PERSISTENCE,
            Fault.Kind.WORKER_KILL, Fault.Kind.WORKER_KILL);
    static final List<Fault.Kind> ONE_OF_EACH = List.of(Fault.Kind.WORKER_KILL, Fault.Kind.BROKER_APP_RESTART,
            Fault.Kind.REDIS_RESTART_AOF, Fault.Kind.BROKER_NODE_KILL, Fault.Kind.REDIS_RESTART_NO_PERSISTENCE);

    static ChaosSettings defaults(int jobs) {
        return new ChaosSettings(jobs, 16, Math.max(5, jobs / 90.0), 0.05, 0.01, 0.03, FULL, 2, Duration.ofMinutes(5),
                Path.of("results", "chaos"), Path.of("functions", "functions.json"), false);
    }

    /** {@code --jobs N --clients N --rate R|0 --faults a,b --worker-concurrency N --results DIR --shared-services}. */
    static ChaosSettings parse(String[] args) {
        int jobs = 10_000;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--jobs")) {
                jobs = Integer.parseInt(args[i + 1]);
            }
        }
        ChaosSettings s = defaults(jobs);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--jobs" -> i++;
                case "--clients" -> { s = s.with(Integer.parseInt(v), s.rate, s.faults, s.workerConcurrency, s.results, s.sharedServices); i++; }
                case "--rate" -> { s = s.with(s.clients, Double.parseDouble(v), s.faults, s.workerConcurrency, s.results, s.sharedServices); i++; }
                case "--faults" -> { s = s.with(s.clients, s.rate, kinds(v), s.workerConcurrency, s.results, s.sharedServices); i++; }
                case "--worker-concurrency" -> { s = s.with(s.clients, s.rate, s.faults, Integer.parseInt(v), s.results, s.sharedServices); i++; }
                case "--results" -> { s = s.with(s.clients, s.rate, s.faults, s.workerConcurrency, Path.of(v), s.sharedServices); i++; }
                case "--shared-services" -> s = s.with(s.clients, s.rate, s.faults, s.workerConcurrency, s.results, true);
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (--jobs N --clients N --rate R --faults kind,... --worker-concurrency N --results DIR --shared-services)");
            }
        }
        return s;
    }

    ChaosSettings with(int clients, double rate, List<Fault.Kind> faults, int workerConcurrency, Path results, boolean shared) {
        return new ChaosSettings(jobs, clients, rate, duplicateShare, goneShare, unavailableShare, faults, workerConcurrency,
                quiescenceTimeout, results, functionsFile, shared);
    }

    ChaosSettings withFunctionsFile(Path file) {
        return new ChaosSettings(jobs, clients, rate, duplicateShare, goneShare, unavailableShare, faults, workerConcurrency,
                quiescenceTimeout, results, file, sharedServices);
    }

    static List<Fault.Kind> kinds(String csv) {
        List<Fault.Kind> out = new ArrayList<>();
        for (String k : csv.split(",")) {
            if (!k.isBlank()) {
                out.add(Fault.Kind.fromWire(k.trim()));
            }
        }
        return out;
    }
}
