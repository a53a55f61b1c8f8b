package io.durablejobs.core.dlq;

import java.time.Instant;

/**
 * Which dead letters to list: one tenant's, optionally of one type or reason, dead-lettered before an
 * instant; newest first, {@code limit} at a time, continuing after {@code cursor}.
 */
public record DeadLetterQuery(String tenant, String type, String reason, Instant before, int limit, DeadLetterCursor cursor) {
    public static final int MAX_LIMIT = 100;

    public DeadLetterQuery {
        limit = Math.max(1, Math.min(limit, 1000));
    }

    public static DeadLetterQuery of(String tenant, int limit) {
        return new DeadLetterQuery(tenant, null, null, null, limit, null);
    }

    public boolean matches(DeadLetter d) {
        return d.tenant().equals(tenant) && d.state() == DeadLetter.State.DEAD
                && (type == null || type.equals(d.type()))
                && (reason == null || reason.equals(d.reason()))
                && (before == null || d.deadLetteredAt().isBefore(before))
                && (cursor == null || cursor.isAfter(d));
    }
}
