package io.durablejobs.core.ledger;

import io.durablejobs.core.job.JobStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A ledger for unit tests, with the same once-only rules as the Redis one. */
public final class InMemoryLedger implements Ledger {
    private final Map<String, long[]> counts = new HashMap<>();
    private final Set<String> markers = new HashSet<>();

    private void add(String tenant, String type, int accepted, int succeeded, int dead, int inFlight) {
        add(tenant, type, accepted, succeeded, dead, 0, inFlight);
    }

    private void add(String tenant, String type, int accepted, int succeeded, int dead, int cancelled, int inFlight) {
        for (String k : new String[] {tenant + "|", tenant + "|" + type}) {
            long[] c = counts.computeIfAbsent(k, x -> new long[5]);
            c[0] += accepted;
            c[1] += succeeded;
            c[2] += dead;
            c[3] += inFlight;
            c[4] += cancelled;
        }
    }

    @Override
    public synchronized void accepted(String tenant, String type, String jobId) {
        if (markers.add("a:" + jobId)) {
            add(tenant, type, 1, 0, 0, 1);
        }
    }

    @Override
    public synchronized void finished(String tenant, String type, String jobId, int generation, JobStatus outcome) {
        if (markers.add("f:" + jobId + ":" + generation)) {
            add(tenant, type, 0, outcome == JobStatus.SUCCEEDED ? 1 : 0, outcome == JobStatus.DEAD_LETTERED ? 1 : 0,
                    outcome == JobStatus.CANCELLED ? 1 : 0, -1);
        }
    }

    @Override
    public synchronized void reopened(String tenant, String type, String jobId, int generation) {
        if (markers.add("r:" + jobId + ":" + generation)) {
            add(tenant, type, 0, 0, -1, 1);
        }
    }

    @Override
    public synchronized LedgerCounts read(String tenant) {
        Map<String, LedgerCounts> byType = new HashMap<>();
        counts.forEach((k, c) -> {
            if (k.startsWith(tenant + "|") && k.length() > tenant.length() + 1) {
                byType.put(k.substring(tenant.length() + 1), new LedgerCounts(c[0], c[1], c[2], c[4], c[3], Map.of()));
            }
        });
        long[] t = counts.getOrDefault(tenant + "|", new long[5]);
        return new LedgerCounts(t[0], t[1], t[2], t[4], t[3], byType);
    }

    @Override
    public synchronized Set<String> tenants() {
        Set<String> out = new TreeSet<>();
        counts.keySet().forEach(k -> out.add(k.substring(0, k.indexOf('|'))));
        return out;
    }
}
