package io.durablejobs.core.dlq;

import java.time.Duration;

/** Bulk replays are rate-limited per tenant: a flood of replays must not swamp the queues it feeds. */
public interface BulkReplayLimiter {

    /** Zero when the tenant may bulk-replay now (and the permit is taken), else how long to wait. */
    Duration tryAcquire(String tenant);

    BulkReplayLimiter UNLIMITED = tenant -> Duration.ZERO;
}
