package io.durablejobs.core.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import io.durablejobs.core.api.Problem;
import io.durablejobs.core.api.Responses;
import io.durablejobs.core.api.RouteSpec;
import io.durablejobs.core.api.RouteTable;
import io.durablejobs.core.api.TenantRoute;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The dead-letter admin API: list, show, replay one, bulk replay by filter (rate-limited,
 * with a dry-run count), discard. Only the calling tenant's dead letters exist for it: another tenant's
 * is a 404. Who acted is recorded as the tenant and a digest of the API key, never the key.
 */
public final class DlqRoutes implements TenantRoute {
    static final String BASE = "/v1/dlq";
    private static final Set<String> BULK_FIELDS = Set.of("type", "reason", "before", "dryRun");

    private final DeadLetterStore store;
    private final ReplayService replays;
    private final BulkReplayLimiter limiter;
    private final int bulkMax;
    private final RouteTable table;

    public DlqRoutes(DeadLetterStore store, ReplayService replays, BulkReplayLimiter limiter, int bulkMax) {
        this.store = store;
        this.replays = replays;
        this.limiter = limiter;
        this.bulkMax = bulkMax;
        this.table = new RouteTable()
                .add(RouteSpec.get(BASE), (r, t, p) -> list(r, t))
                .add(RouteSpec.post(BASE + "/replay"), (r, t, p) -> bulk(r, t))
                .add(RouteSpec.post(BASE + "/{jobId}/replay"), (r, t, p) -> replay(r, t, p.get("jobId")))
                .add(RouteSpec.get(BASE + "/{jobId}"), (r, t, p) -> show(t, p.get("jobId")))
                .add(RouteSpec.delete(BASE + "/{jobId}"), (r, t, p) -> discard(r, t, p.get("jobId")));
    }

    @Override
    public List<RouteSpec> routes() {
        return table.routes();
    }

    @Override
    public Optional<ApiResponse> handle(ApiRequest req, String tenant) {
        String path = req.path();
        if (path == null || !(path.equals(BASE) || path.startsWith(BASE + "/"))) {
            return Optional.empty();
        }
        return Optional.of(table.dispatch(req, tenant).orElseGet(DlqRoutes::notFound));
    }

    private ApiResponse list(ApiRequest req, String tenant) {
        List<FieldError> errors = new ArrayList<>();
        int limit = 20;
        String rawLimit = req.query().get("limit");
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
                if (limit < 1 || limit > DeadLetterQuery.MAX_LIMIT) {
                    errors.add(new FieldError("limit", "must be between 1 and " + DeadLetterQuery.MAX_LIMIT));
                }
            } catch (NumberFormatException e) {
                errors.add(new FieldError("limit", "must be a number"));
            }
        }
        DeadLetterCursor cursor = null;
        String rawCursor = req.query().get("cursor");
        if (rawCursor != null && !rawCursor.isEmpty()) {
            try {
                cursor = DeadLetterCursor.decode(rawCursor);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("cursor", e.getMessage()));
            }
        }
        Instant before = instant(req.query().get("before"), "before", errors);
        if (!errors.isEmpty()) {
            return Problem.validation(errors).toResponse();
        }
        DeadLetterPage page = store.list(new DeadLetterQuery(tenant, blankToNull(req.query().get("type")),
                blankToNull(req.query().get("reason")), before, limit, cursor));
        ObjectNode body = Json.MAPPER.createObjectNode();
        var items = body.putArray("items");
        page.items().forEach(d -> items.add(DeadLetterViews.summary(d)));
        body.put("nextCursor", page.next() == null ? null : page.next().encode());
        return ApiResponse.json(200, body, Map.of());
    }

    private ApiResponse show(String tenant, String jobId) {
        return store.find(tenant, jobId).map(d -> ApiResponse.json(200, DeadLetterViews.full(d), Map.of())).orElseGet(DlqRoutes::notFound);
    }

    private ApiResponse replay(ApiRequest req, String tenant, String jobId) {
        ReplayOutcome o = replays.replay(tenant, jobId, actor(req, tenant));
        if (o instanceof ReplayOutcome.Replayed r) {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("jobId", r.jobId());
            body.put("status", "queued");
            body.put("generation", r.generation());
            return ApiResponse.json(202, body, Map.of("Location", "/v1/jobs/" + r.jobId()));
        }
        if (o instanceof ReplayOutcome.NotDead n) {
            return Problem.of(409, "not-dead-lettered", "Not dead-lettered", n.why()).toResponse();
        }
        if (o instanceof ReplayOutcome.NotPublished) {
            return Responses.unavailable("the broker did not confirm the replay; nothing changed, retry later");
        }
        return notFound();
    }

    private ApiResponse bulk(ApiRequest req, String tenant) {
        JsonNode body;
        try {
            body = req.body().length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(req.body());
        } catch (IOException e) {
            return Problem.of(400, "malformed-json", "Malformed JSON", "the body is not JSON").toResponse();
        }
        if (body == null || !body.isObject()) {
            return Problem.validation(List.of(new FieldError("", "must be a JSON object"))).toResponse();
        }
        List<FieldError> errors = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!BULK_FIELDS.contains(f)) {
                errors.add(new FieldError(f, "unknown field (allowed: type, reason, before, dryRun)"));
            }
        });
        String type = text(body, "type", errors);
        String reason = text(body, "reason", errors);
        Instant before = instant(text(body, "before", errors), "before", errors);
        JsonNode dry = body.get("dryRun");
        if (dry != null && !dry.isBoolean()) {
            errors.add(new FieldError("dryRun", "must be true or false"));
        }
        if (!errors.isEmpty()) {
            return Problem.validation(errors).toResponse();
        }
        boolean dryRun = dry != null && dry.asBoolean();
        if (!dryRun) {
            Duration wait = limiter.tryAcquire(tenant);
            if (!wait.isZero()) {
                return Responses.rateLimited("bulk replays are rate-limited; retry after " + Responses.retryAfter(wait) + " s", wait);
            }
        }
        ReplayService.BulkResult r = replays.bulk(tenant, new BulkReplayFilter(type, reason, before), dryRun, bulkMax, actor(req, tenant));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("count", dryRun ? r.matched() : r.replayed());
        out.put("matched", r.matched());
        out.put("replayed", r.replayed());
        out.put("dryRun", dryRun);
        out.put("truncated", r.truncated());
        var failed = out.putArray("failed");
        r.failed().forEach(failed::add);
        return ApiResponse.json(dryRun ? 200 : 202, out, Map.of());
    }

    private ApiResponse discard(ApiRequest req, String tenant, String jobId) {
        if (!replays.discard(tenant, jobId, actor(req, tenant))) {
            return notFound();
        }
        return new ApiResponse(204, Map.of("Cache-Control", "no-store"), new byte[0]);
    }

    /** The tenant and a short digest of its API key: enough to tell keys apart in the audit, useless to an attacker. */
    static String actor(ApiRequest req, String tenant) {
        String key = Responses.bearer(req).orElse("");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "tenant:" + tenant + "/key:" + HexFormat.of().formatHex(digest).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode body, String field, List<FieldError> errors) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(new FieldError(field, "must be a non-empty string"));
            return null;
        }
        return v.asText();
    }

    private static Instant instant(String raw, String field, List<FieldError> errors) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be an ISO-8601 instant, e.g. 2026-01-01T00:00:00Z"));
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static ApiResponse notFound() {
        return Responses.notFound("no such dead letter");
    }
}
