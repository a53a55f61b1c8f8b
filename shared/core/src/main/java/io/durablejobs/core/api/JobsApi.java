package io.durablejobs.core.api;

import io.durablejobs.core.admission.AdmissionDecision;
import io.durablejobs.core.admission.RateLimit;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.port.IdempotencyStore;
import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public HTTP API, independent of what carries it: API Gateway's event on Lambda, the local host's
 * copy of it, or a test. Authenticates every route (deny by default), then dispatches through one route
 * table; submits go through {@link JobAcceptance} (one job) or {@link BatchSubmit} (many), which share the
 * idempotency protocol.
 */
public final class JobsApi {
    private static final Logger LOG = LoggerFactory.getLogger(JobsApi.class);
    private static final String JOBS = "/v1/jobs";
    private static final String CANCEL = "/cancel";

    private final ApiKeys keys;
    private final int maxBodyBytes;
    private final SubmitRequestParser parser;
    private final JobStore store;
    private final List<TenantRoute> routes;
    private final LoadControl load;
    private final JobCancellation cancellation;
    private final JobListing listing;
    private final JobAcceptance acceptance;
    private final BatchSubmit batch;
    private final RouteTable table;

    /** How long keys are kept, and how long a first request holds its key while being accepted. */
    public record IdempotencySettings(Duration ttl, Duration lease) {
    }

    public JobsApi(ApiKeys keys, int maxBodyBytes, SubmitRequestParser parser, SubmitService submit, JobStore store,
                   IdempotencyStore idempotency, IdempotencySettings idempotencySettings, Clock clock) {
        this(keys, maxBodyBytes, parser, submit, store, idempotency, idempotencySettings, clock, List.of(), LoadControl.NONE);
    }

    public JobsApi(ApiKeys keys, int maxBodyBytes, SubmitRequestParser parser, SubmitService submit, JobStore store,
                   IdempotencyStore idempotency, IdempotencySettings idempotencySettings, Clock clock, List<TenantRoute> routes) {
        this(keys, maxBodyBytes, parser, submit, store, idempotency, idempotencySettings, clock, routes, LoadControl.NONE);
    }

    public JobsApi(ApiKeys keys, int maxBodyBytes, SubmitRequestParser parser, SubmitService submit, JobStore store,
                   IdempotencyStore idempotency, IdempotencySettings idempotencySettings, Clock clock, List<TenantRoute> routes,
                   LoadControl load) {
        this(keys, maxBodyBytes, parser, submit, store, idempotency, idempotencySettings, clock, routes, load,
                new JobCancellation(store, Ledger.NONE, Duration.ofDays(7)),
                new JobListing(JobIndex.NONE, store));
    }

    /**
     * @param cancellation {@code POST /v1/jobs/{jobId}/cancel}
     * @param listing      {@code GET /v1/jobs}
     */
    public JobsApi(ApiKeys keys, int maxBodyBytes, SubmitRequestParser parser, SubmitService submit, JobStore store,
                   IdempotencyStore idempotency, IdempotencySettings idempotencySettings, Clock clock, List<TenantRoute> routes,
                   LoadControl load, JobCancellation cancellation, JobListing listing) {
        this.cancellation = cancellation;
        this.listing = listing;
        this.routes = List.copyOf(routes);
        this.load = load;
        this.keys = keys;
        this.maxBodyBytes = maxBodyBytes;
        this.parser = parser;
        this.store = store;
        this.acceptance = new JobAcceptance(submit, idempotency, idempotencySettings, clock);
        this.batch = new BatchSubmit(parser, acceptance, load);
        this.table = new RouteTable()
                .add(RouteSpec.get(JOBS), (r, t, p) -> listing.list(r.query(), t))
                .add(RouteSpec.post(JOBS), (r, t, p) -> submit(r, t, Work.NONE))
                .add(RouteSpec.post(JOBS + "/batch"), (r, t, p) -> batch.handle(r, t))
                .add(RouteSpec.get(JOBS + "/{jobId}"), (r, t, p) -> get(p.get("jobId"), t))
                .add(RouteSpec.post(JOBS + "/{jobId}" + CANCEL), (r, t, p) -> cancellation.cancel(p.get("jobId"), t));
    }

    /**
     * Every operation this API serves, its own and its routes': the list the published OpenAPI description
     * is checked against, so a route added here without being described fails the build.
     */
    public List<RouteSpec> routes() {
        List<RouteSpec> all = new ArrayList<>(table.routes());
        routes.forEach(r -> all.addAll(r.routes()));
        return List.copyOf(all);
    }

    public ApiResponse handle(ApiRequest req) {
        return handle(req, Work.NONE);
    }

    /**
     * What the caller does once a request is let through (authenticated and, for a submit, admitted), before
     * the API works on it: for instance start the request's span and hand the API the request carrying it.
     * A submit refused by admission never reaches it, so a rejection costs its one Redis call and no span.
     */
    @FunctionalInterface
    public interface Work {
        Work NONE = req -> req;

        /** The request the API then works on (the same one, or one with headers added). */
        ApiRequest starting(ApiRequest req);
    }

    /** {@link #handle(ApiRequest)} with {@code work} called when the request is let through. */
    public ApiResponse handle(ApiRequest req, Work work) {
        try {
            return route(req, work);
        } catch (StoreUnavailableException e) {
            LOG.warn("store unavailable requestId={}: {}", req.requestId(), e.toString());
            return Problem.of(503, "unavailable", "Service unavailable", "the job store is not reachable; retry later")
                    .header("Retry-After", "1").toResponse();
        } catch (RuntimeException e) {
            LOG.error("unhandled error requestId={}", req.requestId(), e);
            return Problem.of(500, "internal", "Internal error", "an unexpected error occurred; requestId " + req.requestId()).toResponse();
        }
    }

    private ApiResponse route(ApiRequest req, Work work) {
        String path = req.path() == null ? "/" : req.path();
        if (!path.startsWith("/v1/")) {
            return Responses.notFound("no route for " + Responses.method(req) + " " + Responses.clip(path));
        }
        Optional<String> tenant = Responses.bearer(req).flatMap(keys::tenantOf);
        if (tenant.isEmpty()) {
            return Problem.of(401, "unauthorized", "Unauthorized", "send Authorization: Bearer <api key>")
                    .header("WWW-Authenticate", "Bearer realm=\"jobs\"").toResponse();
        }
        if (path.equals(JOBS) && "POST".equalsIgnoreCase(req.method())) {
            return submit(req, tenant.get(), work);
        }
        req = work.starting(req);
        Optional<ApiResponse> own = table.dispatch(req, tenant.get());
        if (own.isPresent()) {
            return own.get();
        }
        if (!path.equals(JOBS) && !path.startsWith(JOBS + "/")) {
            for (TenantRoute route : routes) {
                Optional<ApiResponse> r = route.handle(req, tenant.get());
                if (r.isPresent()) {
                    return r.get();
                }
            }
        }
        return Responses.notFound("no route for " + Responses.method(req) + " " + Responses.clip(path));
    }

    /** Admission first: a request over its tenant's rate or the global budget costs nothing further. */
    private ApiResponse submit(ApiRequest req, String tenant, Work work) {
        AdmissionDecision decision = load.admission().admit(tenant);
        RateLimit limit = load.admission().tenantLimit();
        if (decision instanceof AdmissionDecision.Rejected r) {
            return r.scope() == AdmissionDecision.Scope.TENANT
                    ? withRateHeaders(BatchSubmit.rateLimited(limit, r.retryAfter()).toResponse(), limit, 0, r.retryAfter())
                    : BatchSubmit.overloaded(r.retryAfter()).toResponse();
        }
        AdmissionDecision.Admitted ok = (AdmissionDecision.Admitted) decision;
        return withRateHeaders(admitted(work.starting(req), tenant), limit, ok.remaining(), ok.reset());
    }

    /** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers): the tenant's policy and what is left of it. */
    static ApiResponse withRateHeaders(ApiResponse r, RateLimit limit, long remaining, Duration reset) {
        if (limit.unlimited()) {
            return r;
        }
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        long window = Math.max(1, Math.round(limit.burst() / limit.perSecond()));
        h.put("RateLimit-Policy", "\"tenant\";q=" + limit.burst() + ";w=" + window);
        h.put("RateLimit", "\"tenant\";r=" + Math.max(0, remaining) + ";t=" + Math.max(0, (reset.toMillis() + 999) / 1000));
        return new ApiResponse(r.status(), h, r.body());
    }

    private ApiResponse admitted(ApiRequest req, String tenant) {
        if (req.body().length > maxBodyBytes) {
            return Problem.of(413, "too-large", "Body too large", "the body is " + req.body().length
                    + " bytes; the limit is " + maxBodyBytes).toResponse();
        }
        String contentType = req.header("content-type");
        if (contentType != null && !Responses.isJson(contentType)) {
            return Problem.of(415, "unsupported-media-type", "Unsupported media type", "send Content-Type: application/json").toResponse();
        }
        SubmitRequestParser.Parsed parsed = parser.parse(req.body());
        if (parsed.syntaxError() != null) {
            return Problem.of(400, "malformed-json", "The body is not valid JSON", parsed.syntaxError()).toResponse();
        }
        if (!parsed.errors().isEmpty()) {
            return Problem.validation(parsed.errors()).toResponse();
        }
        long depth = load.shedQueueDepth() > 0 ? load.depths().depth(parsed.request().type()) : -1;
        if (depth >= load.shedQueueDepth() && load.shedQueueDepth() > 0) {
            return BatchSubmit.queueFull(parsed.request().type(), depth).toResponse();
        }
        Optional<String> key;
        try {
            key = IdempotencyKeys.parse(req.header("idempotency-key"));
        } catch (IllegalArgumentException e) {
            return Problem.of(400, "invalid-idempotency-key", "Invalid Idempotency-Key", "Idempotency-Key " + e.getMessage()).toResponse();
        }
        String traceparent = Traceparent.continueOrStart(req.header("traceparent"));
        JobAcceptance.Outcome outcome = acceptance.acceptAll(tenant,
                List.of(new JobAcceptance.Item(parsed.request(), key.orElse(null), traceparent)), false).get(0);
        if (outcome instanceof JobAcceptance.Outcome.Accepted a) {
            return JobAcceptance.acceptedResponse(a.record());
        }
        if (outcome instanceof JobAcceptance.Outcome.Replayed c) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "application/json");
            h.put("Cache-Control", "no-store");
            h.put("Idempotent-Replayed", "true");
            if (c.location() != null) {
                h.put("Location", c.location());
            }
            return new ApiResponse(c.status(), h, c.body().getBytes(StandardCharsets.UTF_8));
        }
        return BatchSubmit.problem(outcome).toResponse();
    }

    private ApiResponse get(String id, String tenant) {
        if (!JobIds.isValid(id)) {
            return notFound();
        }
        Optional<JobRecord> r = store.find(id).filter(rec -> rec.tenant().equals(tenant));
        return r.map(rec -> ApiResponse.json(200, JobViews.status(rec), Map.of())).orElseGet(JobsApi::notFound);
    }

    private static ApiResponse notFound() {
        return Responses.notFound("no such job");
    }
}
