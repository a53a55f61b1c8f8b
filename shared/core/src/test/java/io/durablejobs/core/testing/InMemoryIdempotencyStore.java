package io.durablejobs.core.testing;

import io.durablejobs.core.port.IdempotencyClaim;
import io.durablejobs.core.port.IdempotencyStore;
import io.durablejobs.core.port.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Idempotency records in memory, for unit tests; passes the same contract as the Redis store. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private volatile boolean down;

    private record Entry(String fingerprint, String jobId, Instant createdAt, String owner, long leaseUntil,
                         boolean completed, int status, String body, String location) {
    }

    public InMemoryIdempotencyStore(Clock clock) {
        this.clock = clock;
    }

    public void setDown(boolean down) {
        this.down = down;
    }

    private static String id(String tenant, String key) {
        return tenant + "\u0000" + key;
    }

    @Override
    public synchronized IdempotencyClaim claim(String tenant, String key, String fingerprint, String proposedJobId, Instant createdAt,
                                               Duration lease, Duration ttl) {
        if (down) {
            throw new StoreUnavailableException("down (test)", null);
        }
        long now = clock.millis();
        String owner = UUID.randomUUID().toString();
        Entry e = entries.get(id(tenant, key));
        if (e == null) {
            entries.put(id(tenant, key), new Entry(fingerprint, proposedJobId, createdAt, owner, now + lease.toMillis(), false, 0, null, null));
            return new IdempotencyClaim.Proceed(proposedJobId, createdAt, owner, false);
        }
        if (!e.fingerprint().equals(fingerprint)) {
            return new IdempotencyClaim.Mismatch();
        }
        if (e.completed()) {
            return new IdempotencyClaim.Completed(e.status(), e.body(), e.location());
        }
        if (e.leaseUntil() > now) {
            return new IdempotencyClaim.InProgress();
        }
        entries.put(id(tenant, key), new Entry(e.fingerprint(), e.jobId(), e.createdAt(), owner, now + lease.toMillis(), false, 0, null, null));
        return new IdempotencyClaim.Proceed(e.jobId(), e.createdAt(), owner, true);
    }

    @Override
    public synchronized void complete(String tenant, String key, String owner, int status, String body, String location, Duration ttl) {
        Entry e = entries.get(id(tenant, key));
        if (e != null && e.owner().equals(owner)) {
            entries.put(id(tenant, key), new Entry(e.fingerprint(), e.jobId(), e.createdAt(), owner, 0, true, status, body, location));
        }
    }

    @Override
    public synchronized void release(String tenant, String key, String owner) {
        Entry e = entries.get(id(tenant, key));
        if (e != null && e.owner().equals(owner) && !e.completed()) {
            entries.put(id(tenant, key), new Entry(e.fingerprint(), e.jobId(), e.createdAt(), owner, 0, false, 0, null, null));
        }
    }
}
