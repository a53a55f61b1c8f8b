package io.durablejobs.core.schedule;

import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import io.durablejobs.core.api.Problem;
import io.durablejobs.core.api.Responses;
import io.durablejobs.core.api.RouteSpec;
import io.durablejobs.core.api.TenantRoute;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST|GET /v1/schedules}, {@code GET|DELETE /v1/schedules/{id}}, {@code POST /v1/schedules/{id}/pause|resume}:
 * the tenant's recurring schedules. Another tenant's schedule is a 404, as an unknown one is.
 */
public final class ScheduleRoutes implements TenantRoute {
    private static final String BASE = "/v1/schedules";

    private final ScheduleStore store;
    private final ScheduleRequestParser parser;
    private final CronRules cron;
    private final ScheduleSettings settings;
    private final int maxBodyBytes;
    private final Clock clock;

    public ScheduleRoutes(ScheduleStore store, ScheduleRequestParser parser, CronRules cron, ScheduleSettings settings, int maxBodyBytes,
                          Clock clock) {
        this.store = store;
        this.parser = parser;
        this.cron = cron;
        this.settings = settings;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    @Override
    public List<RouteSpec> routes() {
        String one = BASE + "/{scheduleId}";
        return List.of(RouteSpec.post(BASE), RouteSpec.get(BASE), RouteSpec.get(one), RouteSpec.delete(one),
                RouteSpec.post(one + "/pause"), RouteSpec.post(one + "/resume"));
    }

    @Override
    public Optional<ApiResponse> handle(ApiRequest req, String tenant) {
        String path = req.path();
        if (path == null || !(path.equals(BASE) || path.startsWith(BASE + "/"))) {
            return Optional.empty();
        }
        String method = Responses.method(req);
        if (path.equals(BASE)) {
            return Optional.of(switch (method) {
                case "POST" -> create(req, tenant);
                case "GET" -> list(tenant);
                default -> notAllowed(method, "GET, POST");
            });
        }
        String[] parts = path.substring(BASE.length() + 1).split("/", -1);
        if (parts.length > 2 || (parts.length == 2 && !parts[1].equals("pause") && !parts[1].equals("resume"))) {
            return Optional.of(notFound());
        }
        // The method first: a wrong method is a 405 whatever the id, as on every other route.
        String allow = parts.length == 1 ? "GET, DELETE" : "POST";
        if (!List.of(allow.split(", ")).contains(method)) {
            return Optional.of(notAllowed(method, allow));
        }
        String id = parts[0];
        if (!JobIds.isValid(id)) {
            return Optional.of(notFound());
        }
        if (parts.length == 2) {
            return Optional.of(setPaused(tenant, id, parts[1].equals("pause")));
        }
        return Optional.of(method.equals("GET")
                ? store.find(tenant, id).map(s -> ApiResponse.json(200, ScheduleViews.of(s), Map.of())).orElseGet(ScheduleRoutes::notFound)
                : store.delete(tenant, id) ? new ApiResponse(204, Map.of(), new byte[0]) : notFound());
    }

    private ApiResponse create(ApiRequest req, String tenant) {
        if (req.body().length > maxBodyBytes) {
            return Problem.of(413, "too-large", "Body too large", "the body is " + req.body().length + " bytes; the limit is " + maxBodyBytes)
                    .toResponse();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ScheduleRequestParser.Parsed p = parser.parse(req.body(), now);
        if (p.syntaxError() != null) {
            return Problem.of(400, "malformed-json", "The body is not valid JSON", p.syntaxError()).toResponse();
        }
        if (!p.errors().isEmpty()) {
            return Problem.validation(p.errors()).toResponse();
        }
        ScheduleRequestParser.Draft d = p.draft();
        Instant next = d.parsed().next(now, d.timeZone()).orElse(null);
        Schedule s = new Schedule(JobIds.newId(now.toEpochMilli()), tenant, d.cron(), d.timeZone(), d.job(), d.overlap(), d.missed(),
                false, now, next, null, null);
        if (!store.create(s, settings.maxPerTenant())) {
            return Problem.of(409, "schedule-limit", "Too many schedules", "this tenant already has " + settings.maxPerTenant()
                    + " schedules, its limit; delete one first").toResponse();
        }
        return ApiResponse.json(201, ScheduleViews.of(s), Map.of("Location", BASE + "/" + s.id()));
    }

    private ApiResponse list(String tenant) {
        var body = Json.MAPPER.createObjectNode();
        var arr = body.putArray("schedules");
        store.list(tenant).forEach(s -> arr.add(ScheduleViews.of(s)));
        return ApiResponse.json(200, body, Map.of());
    }

    /**
     * Resuming starts from the next tick after now: ticks that passed while paused were not missed by the
     * platform, the tenant chose not to run them.
     */
    private ApiResponse setPaused(String tenant, String id, boolean pause) {
        Optional<Schedule> s = store.find(tenant, id);
        if (s.isEmpty()) {
            return notFound();
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant next = pause ? s.get().nextRunAt() : cron.parse(s.get().cron()).next(now, s.get().timeZone()).orElse(null);
        if (!store.setPaused(tenant, id, pause, next)) {
            return notFound();
        }
        return ApiResponse.json(200, ScheduleViews.of(s.get().withPaused(pause, next)), Map.of());
    }

    private static ApiResponse notFound() {
        return Responses.notFound("no such schedule");
    }

    private static ApiResponse notAllowed(String method, String allow) {
        return Responses.notAllowed(method, allow);
    }
}
