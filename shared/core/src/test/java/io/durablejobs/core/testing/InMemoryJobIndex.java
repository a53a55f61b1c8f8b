package io.durablejobs.core.testing;

import io.durablejobs.core.port.JobIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** A job index for unit tests: the same order (newest first, ties by id descending) as the Redis one. */
public final class InMemoryJobIndex implements JobIndex {
    private static final Comparator<Entry> NEWEST_FIRST = Comparator.comparing(Entry::createdAt).thenComparing(Entry::jobId).reversed();
    private final Map<String, TreeSet<Entry>> byTenant = new ConcurrentHashMap<>();

    @Override
    public synchronized void add(String tenant, String jobId, Instant createdAt, Duration retention) {
        TreeSet<Entry> set = byTenant.computeIfAbsent(tenant, t -> new TreeSet<>(NEWEST_FIRST));
        set.add(new Entry(jobId, createdAt));
    }

    @Override
    public synchronized List<Entry> page(String tenant, Entry after, Instant createdAfter, Instant createdBefore, int limit) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : byTenant.getOrDefault(tenant, new TreeSet<>(NEWEST_FIRST))) {
            if ((after != null && NEWEST_FIRST.compare(e, after) <= 0) || (createdBefore != null && e.createdAt().isAfter(createdBefore))
                    || (createdAfter != null && e.createdAt().isBefore(createdAfter))) {
                continue;
            }
            out.add(e);
            if (out.size() == limit) {
                break;
            }
        }
        return out;
    }
}
