package io.durablejobs.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The figures of one run, the invariants checked on them, and how they are written (JSON and a summary). */
final class ChaosReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final Map<String, Object> figures = new LinkedHashMap<>();
    final Map<String, Boolean> invariants = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();

    boolean passed() {
        return invariants.values().stream().allMatch(Boolean::booleanValue);
    }

    List<String> failed() {
        return invariants.entrySet().stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList();
    }

    static ChaosReport build(ChaosSettings s, ChaosStack stack, SubmitClients clients, FaultInjector faults, Quiescence.Result quiet,
                             Map<String, String> finalRecords, double submitSeconds, double totalSeconds) {
        ChaosReport r = new ChaosReport();
        Set<String> accepted = clients.keyByJobId.keySet();
        int succeeded = 0;
        int dead = 0;
        int deadExpected = 0;
        int missing = 0;
        int doubleCompletions = 0;
        int againAfterDataLoss = 0;
        int bothOutcomes = 0;
        int succeededWithoutSideEffect = 0;
        List<String> examples = new ArrayList<>();
        Map<String, Integer> sideEffects = new TreeMap<>();
        for (String id : accepted) {
            StatusLedger.Trail t = stack.ledger.trail(id);
            String last = t == null ? null : t.lastStatus();
            if ("succeeded".equals(last)) {
                succeeded++;
                AtomicInteger ok = stack.receiver.acceptedDeliveries().get(id);
                if (ok == null || ok.get() == 0) {
                    succeededWithoutSideEffect++;
                }
            } else if ("dead_lettered".equals(last)) {
                dead++;
                if (clients.goneJobIds.contains(id)) {
                    deadExpected++;
                }
            } else {
                missing++;
                if (examples.size() < 10) {
                    examples.add(id + " last status " + last);
                }
            }
            if (t != null) {
                doubleCompletions += t.completionsBeyondOnePerGeneration() > 0 ? 1 : 0;
                againAfterDataLoss += t.completionsAcrossDataLoss() > 0 ? 1 : 0;
                bothOutcomes += t.completions() > 0 && t.deadLetterings() > 0 ? 1 : 0;
            }
            AtomicInteger n = stack.receiver.deliveries().get(id);
            int d = n == null ? 0 : n.get();
            sideEffects.merge(d >= 4 ? "4+" : String.valueOf(d), 1, Integer::sum);
        }
        long unknownIds = stack.receiver.deliveries().keySet().stream().filter(id -> !accepted.contains(id)).count();
        long keysWithTwoJobs = clients.jobIdsByKey.values().stream().filter(v -> v.size() > 1).count();
        Map<String, Long> records = new TreeMap<>();
        finalRecords.values().forEach(v -> records.merge(v, 1L, Long::sum));

        Map<String, Object> run = new LinkedHashMap<>();
        run.put("jobsRequested", s.jobs());
        run.put("clients", s.clients());
        run.put("ratePerSecond", s.rate() == 0 ? "unlimited" : Math.round(s.rate()));
        run.put("services", s.sharedServices() ? "SHARED (the machine's RabbitMQ and Redis)" : "own broker node and Redis");
        run.put("brokerNode", stack.broker != null ? stack.broker.node() : "shared");
        run.put("functions", stack.functions);
        run.put("workerIsolation", "process (each environment a JVM running the Lambda runtime interface client)");
        run.put("submitSeconds", FaultInjector.round(submitSeconds));
        run.put("totalSeconds", FaultInjector.round(totalSeconds));
        r.figures.put("run", run);

        Map<String, Object> api = new LinkedHashMap<>();
        api.put("keys", s.jobs());
        api.put("keysSentConcurrently2or3Times", clients.duplicatedKeys.get());
        api.put("requests", clients.requests.sum());
        Map<String, Long> statuses = new TreeMap<>();
        clients.statuses.forEach((k, v) -> statuses.put(String.valueOf(k), v.sum()));
        api.put("answers", statuses);
        api.put("networkErrors", clients.networkErrors.sum());
        api.put("replayed202", clients.replayed.sum());
        api.put("keysNeverAccepted", clients.unansweredKeys.size());
        r.figures.put("api", api);

        Map<String, Object> jobs = new LinkedHashMap<>();
        jobs.put("accepted", accepted.size());
        jobs.put("succeeded", succeeded);
        jobs.put("deadLettered", dead);
        jobs.put("deadLetteredAsExpected404", deadExpected);
        jobs.put("deadLetteredOtherwise", dead - deadExpected);
        jobs.put("missing", missing);
        jobs.put("missingExamples", examples);
        jobs.put("completedMoreThanOnce", doubleCompletions);
        jobs.put("completedAgainAfterRedisDataLoss", againAfterDataLoss);
        jobs.put("bothSucceededAndDeadLettered", bothOutcomes);
        jobs.put("keysWithMoreThanOneJob", keysWithTwoJobs);
        jobs.put("succeededWithoutA2xxAtTheReceiver", succeededWithoutSideEffect);
        jobs.put("statusRecordsAtTheEnd", records);
        r.figures.put("jobs", jobs);

        Map<String, Object> receiver = new LinkedHashMap<>();
        receiver.put("deliveries", stack.receiver.total());
        receiver.put("answered503", stack.receiver.answered503());
        receiver.put("deliveriesPerJob", sideEffects);
        receiver.put("webhookIdsOfNoAcceptedJob", unknownIds);
        receiver.put("deliveriesWithoutWebhookId", stack.receiver.withoutId());
        r.figures.put("receiver", receiver);

        List<Map<String, Object>> fl = new ArrayList<>();
        for (Fault f : faults.done) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", f.kind().wire);
            m.put("atSeconds", FaultInjector.round(f.atSeconds()));
            m.put("tookSeconds", FaultInjector.round(f.tookSeconds()));
            m.put("shareSubmitted", Math.round(f.atShareSubmitted() * 100) / 100.0);
            m.put("detail", f.detail());
            fl.add(m);
        }
        r.figures.put("faults", fl);
        r.figures.put("faultProblems", faults.problems);
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("reached", quiet.reached());
        q.put("waitedSeconds", FaultInjector.round(quiet.waitedSeconds()));
        Map<String, String> depths = new TreeMap<>();
        quiet.queues().forEach((k, v) -> depths.put(k, v[0] + " ready, " + v[1] + " unacked"));
        q.put("queues", depths);
        r.figures.put("quiescence", q);
        r.figures.put("redisMonitorLines", stack.monitor.lines());
        boolean monitorComplete = stack.redis == null || stack.redis.monitorComplete();
        r.figures.put("redisMonitorComplete", monitorComplete);

        r.invariants.put("quiescence reached (no job queued/running/retrying, queues empty)", quiet.reached());
        r.invariants.put("missing == 0", missing == 0);
        r.invariants.put("jobs completed more than once (within one Redis data generation) == 0", doubleCompletions == 0);
        r.invariants.put("jobs both succeeded and dead-lettered == 0", bothOutcomes == 0);
        r.invariants.put("distinct jobs per idempotency key == 1", keysWithTwoJobs == 0);
        r.invariants.put("every key accepted (clients retried until 202)", clients.unansweredKeys.isEmpty());
        r.invariants.put("every succeeded job's webhook was answered 2xx at least once", succeededWithoutSideEffect == 0);
        r.invariants.put("no delivery for a job no client was told about", unknownIds == 0);
        r.invariants.put("only the 404 jobs dead-lettered", dead == deadExpected && deadExpected == clients.goneJobIds.size());
        boolean allFaults = faults.problems.isEmpty()
                && s.faults().stream().allMatch(k -> faults.done.stream().anyMatch(f -> f.kind() == k));
        r.invariants.put("every scheduled fault injected", allFaults);
        r.invariants.put("the Redis monitor saw every write (caught up before each kill)", monitorComplete);
        r.figures.put("invariants", r.invariants);

        r.notes.add("completed = the platform recording status=succeeded on a job's record whose status was not already succeeded, "
                + "as Redis executed it (MONITOR, attached before each Redis life opens its port); the webhook POST is the side "
                + "effect, counted per webhook-id at the receiver, and may repeat after crashes (deliveriesPerJob).");
        r.notes.add("the Redis restart without persistence runs while clients are paused with no key in flight, so no retry "
                + "straddles it: the README's cost (a retry of a key issued before the restart may create a second job) is "
                + "avoided by the schedule, not hidden. Its other costs are counted: completedAgainAfterRedisDataLoss (a job "
                + "recorded succeeded before it and again after) and statusRecordsAtTheEnd.absent (records lost with the data "
                + "and not rewritten; GET /v1/jobs/{id} answers 404 for those).");
        if (s.sharedServices()) {
            r.notes.add("SHARED SERVICES: this run used the machine's RabbitMQ and Redis; broker and Redis faults were not injected.");
        }
        r.figures.put("notes", r.notes);
        return r;
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), figures);
        Files.writeString(Path.of(file.toString().replaceAll("\\.json$", ".txt")), summary());
    }

    @SuppressWarnings("unchecked")
    String summary() {
        Map<String, Object> run = (Map<String, Object>) figures.get("run");
        Map<String, Object> api = (Map<String, Object>) figures.get("api");
        Map<String, Object> jobs = (Map<String, Object>) figures.get("jobs");
        Map<String, Object> rec = (Map<String, Object>) figures.get("receiver");
        StringBuilder b = new StringBuilder();
        b.append("chaos run: ").append(run.get("jobsRequested")).append(" jobs, ").append(run.get("services")).append(", ")
                .append(run.get("totalSeconds")).append(" s\n");
        b.append("  api:      ").append(api.get("requests")).append(" requests, answers ").append(api.get("answers"))
                .append(", network errors ").append(api.get("networkErrors")).append(", ").append(api.get("keysSentConcurrently2or3Times"))
                .append(" keys sent 2-3 times at once\n");
        b.append("  jobs:     accepted ").append(jobs.get("accepted")).append(", succeeded ").append(jobs.get("succeeded"))
                .append(", dead-lettered ").append(jobs.get("deadLettered")).append(" (").append(jobs.get("deadLetteredAsExpected404"))
                .append(" by the 404 target), missing ").append(jobs.get("missing")).append('\n');
        b.append("            completed more than once ").append(jobs.get("completedMoreThanOnce"))
                .append(", again after the Redis data loss ").append(jobs.get("completedAgainAfterRedisDataLoss"))
                .append(", keys with more than one job ").append(jobs.get("keysWithMoreThanOneJob"))
                .append(", status records at the end ").append(jobs.get("statusRecordsAtTheEnd")).append('\n');
        b.append("  receiver: ").append(rec.get("deliveries")).append(" deliveries (").append(rec.get("answered503"))
                .append(" answered 503), deliveries per job ").append(rec.get("deliveriesPerJob")).append('\n');
        b.append("  faults:\n");
        for (Map<String, Object> f : (List<Map<String, Object>>) figures.get("faults")) {
            b.append(String.format("    %6.1fs %-29s %5.1fs  %s%n", ((Number) f.get("atSeconds")).doubleValue(), f.get("kind"),
                    ((Number) f.get("tookSeconds")).doubleValue(), f.get("detail")));
        }
        for (String p : (List<String>) figures.get("faultProblems")) {
            b.append("    PROBLEM ").append(p).append('\n');
        }
        b.append("  invariants:\n");
        invariants.forEach((k, v) -> b.append("    ").append(v ? "ok   " : "FAIL ").append(k).append('\n'));
        b.append(passed() ? "PASSED" : "FAILED: " + failed()).append('\n');
        return b.toString();
    }
}
