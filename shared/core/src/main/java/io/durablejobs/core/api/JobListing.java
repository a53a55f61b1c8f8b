package io.durablejobs.core.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.type.FieldError;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/jobs?status=&type=&createdAfter=&createdBefore=&limit=&cursor=}: the tenant's jobs, newest
 * first, a page at a time. Creation time is the index's order, so the time filters cost nothing; status and
 * type are checked on each record read. The cost of one request is bounded: it reads at most
 * {@link #MAX_EXAMINED} entries, and when a selective filter leaves the page short it answers what it found
 * with a {@code nextCursor} to go on from, so a client pages on until there is no {@code nextCursor}.
 */
public final class JobListing {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    /** Index entries one request may look at, whatever its filters. */
    public static final int MAX_EXAMINED = 500;

    private final JobIndex index;
    private final JobStore store;

    public JobListing(JobIndex index, JobStore store) {
        this.index = index;
        this.store = store;
    }

    public ApiResponse list(Map<String, String> query, String tenant) {
        List<FieldError> errors = new ArrayList<>();
        for (String k : query.keySet()) {
            if (!Set.of("status", "type", "createdAfter", "createdBefore", "limit", "cursor").contains(k)) {
                errors.add(new FieldError(k, "unknown parameter; allowed: status, type, createdAfter, createdBefore, limit, cursor"));
            }
        }
        Set<JobStatus> statuses = statuses(query.get("status"), errors);
        String type = query.get("type");
        if (type != null && (type.isEmpty() || type.length() > 100)) {
            errors.add(new FieldError("type", "must be a job type name"));
        }
        Instant after = instant("createdAfter", query.get("createdAfter"), errors);
        Instant before = instant("createdBefore", query.get("createdBefore"), errors);
        if (after != null && before != null && after.isAfter(before)) {
            errors.add(new FieldError("createdBefore", "must not be before createdAfter"));
        }
        int limit = limit(query.get("limit"), errors);
        JobIndex.Entry cursor = null;
        if (query.get("cursor") != null) {
            try {
                cursor = JobCursor.decode(query.get("cursor"));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("cursor", e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            return Problem.validation(errors).toResponse();
        }

        List<JobRecord> found = new ArrayList<>();
        JobIndex.Entry position = cursor;
        int examined = 0;
        boolean endReached = false;
        while (found.size() < limit && examined < MAX_EXAMINED && !endReached) {
            int batch = Math.min(MAX_EXAMINED - examined, Math.max(limit - found.size(), 20));
            List<JobIndex.Entry> entries = index.page(tenant, position, after, before, batch);
            endReached = entries.size() < batch;
            for (int i = 0; i < entries.size(); i++) {
                JobIndex.Entry e = entries.get(i);
                examined++;
                position = e;
                // A record that expired before its index entry was trimmed is skipped.
                Optional<JobRecord> r = store.find(e.jobId()).filter(rec -> rec.tenant().equals(tenant));
                if (r.isPresent() && (statuses.isEmpty() || statuses.contains(r.get().status()))
                        && (type == null || type.equals(r.get().type()))) {
                    found.add(r.get());
                    if (found.size() == limit) {
                        endReached = endReached && i == entries.size() - 1;
                        break;
                    }
                }
            }
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("items");
        found.forEach(r -> items.add(JobViews.status(r)));
        // As the dead-letter listing: null on the last page.
        body.put("nextCursor", !endReached && position != null ? JobCursor.encode(position) : null);
        return ApiResponse.json(200, body, Map.of());
    }

    private static Set<JobStatus> statuses(String raw, List<FieldError> errors) {
        Set<JobStatus> out = EnumSet.noneOf(JobStatus.class);
        if (raw == null) {
            return out;
        }
        for (String s : raw.split(",")) {
            Optional<JobStatus> st = JobStatus.fromWire(s.trim());
            if (st.isEmpty()) {
                errors.add(new FieldError("status", "unknown status '" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'; one or more of "
                        + Arrays.stream(JobStatus.values()).map(JobStatus::wire).collect(Collectors.joining(", ")) + ", comma-separated"));
                return out;
            }
            out.add(st.get());
        }
        return out;
    }

    private static Instant instant(String field, String raw, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an RFC 3339 date-time with an offset, e.g. 2026-12-01T09:00:00Z"));
            return null;
        }
    }

    private static int limit(String raw, List<FieldError> errors) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError("limit", "must be an integer from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }
}
