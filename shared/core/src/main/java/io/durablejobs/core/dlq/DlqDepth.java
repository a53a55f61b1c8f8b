package io.durablejobs.core.dlq;

import java.time.Instant;

/** How many dead letters wait (not replayed, not discarded), and since when the oldest (null when none). */
public record DlqDepth(long count, Instant oldest) {
    public long oldestAgeSeconds(Instant now) {
        return oldest == null ? 0 : Math.max(0, now.getEpochSecond() - oldest.getEpochSecond());
    }
}
