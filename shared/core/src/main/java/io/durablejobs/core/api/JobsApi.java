package io.durablejobs.core.api;

import io.durablejobs.core.admission.AdmissionDecision;
import io.durablejobs.core.admission.RateLimit;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.port.IdempotencyClaim;
import io.durablejobs.core.port.IdempotencyStore;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public HTTP API, independent of what carries it: API Gateway's event on Lambda, the local host's
 * copy of it, or a test. Authenticates every route (deny by default), then routes.
 */
public final class JobsApi {
    private static final Logger LOG = LoggerFactory.getLogger(JobsApi.class);
    private static final String JOBS = "/v1/jobs";
    private static final String CANCEL = "/cancel";

    private final ApiKeys keys;
    private final int maxBodyBytes;
    private final SubmitRequestParser parser;
    private final SubmitService submit;
    private final JobStore store;
    private final IdempotencyStore idempotency;
    private final IdempotencySettings idempotencySettings;
    private final Clock clock;
    private final java.util.List<TenantRoute> routes;
    private final LoadControl load;
    private final JobCancellation cancellation;
    private final JobListing listing;

    /** How long keys are kept, and how long a first request holds its key while being accepted. */
    public record IdempotencySettings(Duration ttl, Duration lease) {
    }

    public JobsApi(ApiKeys keys, int maxBodyBytes, SubmitRequestParser parser, SubmitService submit, JobStore store,
                   IdempotencyStore idempotency, IdempotencySettings idempotencySettings, Clock clock) {
        this(keys, maxBodyBytes, parser, submit, store, idempotency, idempotencySettings, clock, java.util.List.of(), LoadControl.NONE);
    }

    public JobsApi(ApiKeys keys, int maxBodyBytes, SubmitRequestParser parser, SubmitService submit, JobStore store,
                   IdempotencyStore idempotency, IdempotencySettings idempotencySettings, Clock clock, java.util.List<TenantRoute> routes) {
        this(keys, maxBodyBytes, parser, submit, store, idempotency, idempotencySettings, clock, routes, LoadControl.NONE);
    }

    public JobsApi(ApiKeys keys, int maxBodyBytes, SubmitRequestParser parser, SubmitService submit, JobStore store,
                   IdempotencyStore idempotency, IdempotencySettings idempotencySettings, Clock clock, java.util.List<TenantRoute> routes,
                   LoadControl load) {
        this(keys, maxBodyBytes, parser, submit, store, idempotency, idempotencySettings, clock, routes, load,
                new JobCancellation(store, io.durablejobs.core.ledger.Ledger.NONE, Duration.ofDays(7)),
                new JobListing(io.durablejobs.core.port.JobIndex.NONE, store));
    }

    /**
     * @param cancellation {@code POST /v1/jobs/{jobId}/cancel}
     * @param listing      {@code GET /v1/jobs}
     */
    public JobsApi(ApiKeys keys, int maxBodyBytes, SubmitRequestParser parser, SubmitService submit, JobStore store,
                   IdempotencyStore idempotency, IdempotencySettings idempotencySettings, Clock clock, java.util.List<TenantRoute> routes,
                   LoadControl load, JobCancellation cancellation, JobListing listing) {
        this.cancellation = cancellation;
        this.listing = listing;
        this.routes = java.util.List.copyOf(routes);
        this.load = load;
        this.keys = keys;
        this.maxBodyBytes = maxBodyBytes;
        this.parser = parser;
        this.submit = submit;
        this.store = store;
        this.idempotency = idempotency;
        this.idempotencySettings = idempotencySettings;
        this.clock = clock;
    }

    /**
     * Every operation this API serves, its own and its routes': the list the published OpenAPI description
     * is checked against, so a route added here without being described fails the build.
     */
    public java.util.List<RouteSpec> routes() {
        java.util.List<RouteSpec> all = new java.util.ArrayList<>(java.util.List.of(RouteSpec.post(JOBS), RouteSpec.get(JOBS),
                RouteSpec.get(JOBS + "/{jobId}"), RouteSpec.post(JOBS + "/{jobId}" + CANCEL)));
        routes.forEach(r -> all.addAll(r.routes()));
        return java.util.List.copyOf(all);
    }

    public ApiResponse handle(ApiRequest req) {
        try {
            return route(req);
        } catch (StoreUnavailableException e) {
            LOG.warn("store unavailable requestId={}: {}", req.requestId(), e.toString());
            return Problem.of(503, "unavailable", "Service unavailable", "the job store is not reachable; retry later")
                    .header("Retry-After", "1").toResponse();
        } catch (RuntimeException e) {
            LOG.error("unhandled error requestId={}", req.requestId(), e);
            return Problem.of(500, "internal", "Internal error", "an unexpected error occurred; requestId " + req.requestId()).toResponse();
        }
    }

    private ApiResponse route(ApiRequest req) {
        String path = req.path() == null ? "/" : req.path();
        String method = req.method() == null ? "" : req.method().toUpperCase(Locale.ROOT);
        if (!path.startsWith("/v1/")) {
            return Problem.of(404, "not-found", "Not found", "no route for " + method + " " + clip(path)).toResponse();
        }
        Optional<String> tenant = authenticate(req);
        if (tenant.isEmpty()) {
            return Problem.of(401, "unauthorized", "Unauthorized", "send Authorization: Bearer <api key>")
                    .header("WWW-Authenticate", "Bearer realm=\"jobs\"").toResponse();
        }
        if (!path.equals(JOBS) && !path.startsWith(JOBS + "/")) {
            for (TenantRoute route : routes) {
                Optional<ApiResponse> r = route.handle(req, tenant.get());
                if (r.isPresent()) {
                    return r.get();
                }
            }
            return Problem.of(404, "not-found", "Not found", "no route for " + method + " " + clip(path)).toResponse();
        }
        if (path.equals(JOBS)) {
            return method.equals("POST") ? submit(req, tenant.get())
                    : method.equals("GET") ? listing.list(req.query(), tenant.get()) : notAllowed(method, "GET, POST");
        }
        String id = path.substring(JOBS.length() + 1);
        if (id.endsWith(CANCEL) && id.indexOf('/') == id.length() - CANCEL.length()) {
            return method.equals("POST") ? cancellation.cancel(id.substring(0, id.indexOf('/')), tenant.get()) : notAllowed(method, "POST");
        }
        if (id.contains("/")) {
            return Problem.of(404, "not-found", "Not found", "no route for " + method + " " + clip(path)).toResponse();
        }
        return method.equals("GET") ? get(id, tenant.get()) : notAllowed(method, "GET");
    }

    private Optional<String> authenticate(ApiRequest req) {
        String auth = req.header("authorization");
        if (auth == null || auth.length() < 8 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return keys.tenantOf(auth.substring(7).trim());
    }

    /** Admission first: a request over its tenant's rate or the global budget costs nothing further. */
    private ApiResponse submit(ApiRequest req, String tenant) {
        AdmissionDecision decision = load.admission().admit(tenant);
        RateLimit limit = load.admission().tenantLimit();
        if (decision instanceof AdmissionDecision.Rejected r) {
            String retry = Long.toString(Math.max(1, (r.retryAfter().toMillis() + 999) / 1000));
            if (r.scope() == AdmissionDecision.Scope.TENANT) {
                return withRateHeaders(Problem.of(429, "rate-limited", "Too many requests",
                        "this API key is over its rate of " + limit.perSecond() + "/s (burst " + limit.burst() + "); retry after " + retry + " s")
                        .header("Retry-After", retry).toResponse(), limit, 0, r.retryAfter());
            }
            return Problem.of(503, "overloaded", "Service overloaded", "the platform is over its global submit budget; retry later")
                    .header("Retry-After", retry).toResponse();
        }
        AdmissionDecision.Admitted ok = (AdmissionDecision.Admitted) decision;
        return withRateHeaders(admitted(req, tenant), limit, ok.remaining(), ok.reset());
    }

    /** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers): the tenant's policy and what is left of it. */
    private static ApiResponse withRateHeaders(ApiResponse r, RateLimit limit, long remaining, Duration reset) {
        if (limit.unlimited()) {
            return r;
        }
        Map<String, String> h = new java.util.LinkedHashMap<>(r.headers());
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
        if (contentType != null && !isJson(contentType)) {
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
            return Problem.of(503, "overloaded", "Service overloaded", "the " + parsed.request().type()
                    + " queue holds " + depth + " jobs, over its high-water mark; retry later").header("Retry-After", "5").toResponse();
        }
        Optional<String> key;
        try {
            key = IdempotencyKeys.parse(req.header("idempotency-key"));
        } catch (IllegalArgumentException e) {
            return Problem.of(400, "invalid-idempotency-key", "Invalid Idempotency-Key", "Idempotency-Key " + e.getMessage()).toResponse();
        }
        String traceparent = Traceparent.continueOrStart(req.header("traceparent"));
        SubmitRequest request = parsed.request();
        if (key.isEmpty()) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            return accept(new JobEnvelope(JobIds.newId(now.toEpochMilli()), tenant, request.type(), request.payload(), request.priority(), now,
                    request.callbackUrl()), traceparent, null, null, request.dueAt(now));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        IdempotencyClaim claim = idempotency.claim(tenant, key.get(), IdempotencyKeys.fingerprint(request), JobIds.newId(now.toEpochMilli()),
                now, idempotencySettings.lease(), idempotencySettings.ttl());
        if (claim instanceof IdempotencyClaim.Completed c) {
            Map<String, String> h = new java.util.LinkedHashMap<>();
            h.put("Content-Type", "application/json");
            h.put("Cache-Control", "no-store");
            h.put("Idempotent-Replayed", "true");
            if (c.location() != null) {
                h.put("Location", c.location());
            }
            return new ApiResponse(c.status(), h, c.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (claim instanceof IdempotencyClaim.InProgress) {
            return Problem.of(409, "idempotency-key-in-use", "Request in progress",
                    "a request with this Idempotency-Key is still being accepted; retry shortly").header("Retry-After", "1").toResponse();
        }
        if (claim instanceof IdempotencyClaim.Mismatch) {
            return Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused",
                    "this Idempotency-Key was used with a different request; use a new key for a new request").toResponse();
        }
        IdempotencyClaim.Proceed p = (IdempotencyClaim.Proceed) claim;
        JobEnvelope job = new JobEnvelope(p.jobId(), tenant, request.type(), request.payload(), request.priority(), p.createdAt(),
                request.callbackUrl());
        return accept(job, traceparent, key.get(), p.owner(), request.dueAt(now));
    }

    private ApiResponse accept(JobEnvelope job, String traceparent, String key, String owner, Instant dueAt) {
        try {
            JobRecord r = submit.submit(job, traceparent, dueAt);
            ApiResponse ok = ApiResponse.json(202, JobViews.accepted(r), Map.of("Location", JOBS + "/" + r.jobId()));
            if (key != null) {
                try {
                    idempotency.complete(job.tenant(), key, owner, ok.status(), ok.bodyText(), JOBS + "/" + r.jobId(), idempotencySettings.ttl());
                } catch (StoreUnavailableException e) {
                    // Accepted all the same. A retry resumes this jobId once the claim's lease lapses, and the
                    // worker recognises the repeated message: still one job.
                    LOG.warn("could not store the idempotent response jobId={}: {}", job.jobId(), e.getMessage());
                }
            }
            return ok;
        } catch (SubmitService.NotAcceptedException e) {
            if (key != null) {
                try {
                    idempotency.release(job.tenant(), key, owner);
                } catch (StoreUnavailableException ignored) {
                    // the lease lapses by itself
                }
            }
            return Problem.of(503, "unavailable", "Service unavailable", "the broker did not confirm the job; nothing was accepted, retry later")
                    .header("Retry-After", "1").toResponse();
        }
    }

    private ApiResponse get(String id, String tenant) {
        if (!JobIds.isValid(id)) {
            return notFound();
        }
        Optional<JobRecord> r = store.find(id).filter(rec -> rec.tenant().equals(tenant));
        return r.map(rec -> ApiResponse.json(200, JobViews.status(rec), Map.of())).orElseGet(JobsApi::notFound);
    }

    private static ApiResponse notFound() {
        return Problem.of(404, "not-found", "Not found", "no such job").toResponse();
    }

    private static ApiResponse notAllowed(String method, String allow) {
        return Problem.of(405, "method-not-allowed", "Method not allowed", method + " is not allowed here; use " + allow)
                .header("Allow", allow).toResponse();
    }

    private static boolean isJson(String contentType) {
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return base.equals("application/json") || base.endsWith("+json");
    }

    private static String clip(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
