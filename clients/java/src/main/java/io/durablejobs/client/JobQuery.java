package io.durablejobs.client;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Filters and paging of {@code GET /v1/jobs}; every field optional (null or empty). {@code statuses} match
 * any of them; {@code createdAfter}/{@code createdBefore} are inclusive; {@code limit} is the page size, 1-100
 * (the API's default 20); {@code cursor} is the {@code nextCursor} of the previous page.
 */
public record JobQuery(Set<JobStatus> statuses, String type, Instant createdAfter, Instant createdBefore, Integer limit, String cursor) {
    public static final JobQuery ALL = new JobQuery(Set.of(), null, null, null, null, null);

    public JobQuery {
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        if (statuses.contains(JobStatus.UNKNOWN)) {
            throw new IllegalArgumentException("UNKNOWN is not a status the API filters by");
        }
        if (limit != null && (limit < 1 || limit > 100)) {
            throw new IllegalArgumentException("limit must be 1-100");
        }
    }

    public JobQuery withStatuses(JobStatus... s) {
        return new JobQuery(s.length == 0 ? Set.of() : EnumSet.of(s[0], s), type, createdAfter, createdBefore, limit, cursor);
    }

    public JobQuery withType(String t) {
        return new JobQuery(statuses, t, createdAfter, createdBefore, limit, cursor);
    }

    public JobQuery withCreatedAfter(Instant at) {
        return new JobQuery(statuses, type, at, createdBefore, limit, cursor);
    }

    public JobQuery withCreatedBefore(Instant at) {
        return new JobQuery(statuses, type, createdAfter, at, limit, cursor);
    }

    public JobQuery withLimit(int l) {
        return new JobQuery(statuses, type, createdAfter, createdBefore, l, cursor);
    }

    public JobQuery withCursor(String c) {
        return new JobQuery(statuses, type, createdAfter, createdBefore, limit, c);
    }
}
