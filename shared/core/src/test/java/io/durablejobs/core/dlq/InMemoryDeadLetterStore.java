package io.durablejobs.core.dlq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A dead-letter store for unit tests; passes the same contract as the file and S3 stores. */
public final class InMemoryDeadLetterStore implements DeadLetterStore {
    private final Map<String, DeadLetter> records = new ConcurrentHashMap<>();
    private final List<AuditEntry> audits = new ArrayList<>();
    private volatile boolean down;

    public void setDown(boolean down) {
        this.down = down;
    }

    private void check() {
        if (down) {
            throw new DeadLetterStoreUnavailableException("dead-letter store is down (test)", null);
        }
    }

    private static String key(String tenant, String jobId) {
        return tenant + "/" + jobId;
    }

    @Override
    public void put(DeadLetter record) {
        check();
        records.put(key(record.tenant(), record.jobId()), record);
    }

    @Override
    public Optional<DeadLetter> find(String tenant, String jobId) {
        check();
        return Optional.ofNullable(records.get(key(tenant, jobId)));
    }

    @Override
    public DeadLetterPage list(DeadLetterQuery q) {
        check();
        List<DeadLetter> all = records.values().stream().filter(q::matches).sorted(DeadLetterCursor.NEWEST_FIRST).toList();
        List<DeadLetter> page = all.subList(0, Math.min(q.limit(), all.size()));
        DeadLetterCursor next = all.size() > page.size() ? DeadLetterCursor.of(page.get(page.size() - 1)) : null;
        return new DeadLetterPage(page, next);
    }

    @Override
    public boolean delete(String tenant, String jobId) {
        check();
        return records.remove(key(tenant, jobId)) != null;
    }

    @Override
    public DlqDepth depth() {
        check();
        List<DeadLetter> dead = records.values().stream().filter(d -> d.state() == DeadLetter.State.DEAD).toList();
        return new DlqDepth(dead.size(), dead.stream().map(DeadLetter::deadLetteredAt).min(Comparator.naturalOrder()).orElse(null));
    }

    @Override
    public synchronized void audit(AuditEntry entry) {
        check();
        audits.add(entry);
    }

    @Override
    public synchronized List<AuditEntry> audits(String tenant, int limit) {
        check();
        List<AuditEntry> out = new ArrayList<>(audits.stream().filter(a -> a.tenant().equals(tenant)).toList());
        java.util.Collections.reverse(out);
        return out.subList(0, Math.min(limit, out.size()));
    }

    @Override
    public String kind() {
        return "memory";
    }
}
