package io.durablejobs.client;

import java.time.Instant;

/** Filters and paging of {@code GET /v1/dlq}; every field optional (null). {@code limit} 1-100, default 20. */
public record DeadLetterQuery(String type, String reason, Instant before, Integer limit, String cursor) {
    public static final DeadLetterQuery ALL = new DeadLetterQuery(null, null, null, null, null);

    public DeadLetterQuery withType(String t) {
        return new DeadLetterQuery(t, reason, before, limit, cursor);
    }

    public DeadLetterQuery withLimit(int l) {
        return new DeadLetterQuery(type, reason, before, l, cursor);
    }

    public DeadLetterQuery withCursor(String c) {
        return new DeadLetterQuery(type, reason, before, limit, c);
    }
}
