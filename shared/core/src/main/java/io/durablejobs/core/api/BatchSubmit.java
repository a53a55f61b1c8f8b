package io.durablejobs.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.admission.AdmissionDecision;
import io.durablejobs.core.admission.RateLimit;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/jobs/batch}: up to {@value #MAX_JOBS} jobs or {@value #MAX_BYTES} bytes in one request,
 * each item a {@code POST /v1/jobs} body plus an optional {@code idempotencyKey} with the header's meaning.
 * A malformed item is that item's problem (its field paths prefixed {@code jobs[i].}), never the batch's;
 * the tenant is charged once per valid job, and items past its remaining quota are rejected with the
 * rate-limit problem. The answer carries one result per item, in order: {@code 202} when every item was
 * accepted or replayed, {@code 207} when some were, {@code 422} when none was ({@code 429} when every
 * rejection is the tenant's rate limit, {@code 503} when every one is the platform's overload).
 */
public final class BatchSubmit {
    public static final int MAX_JOBS = 500;
    public static final int MAX_BYTES = 2 * 1024 * 1024;
    private static final String KEY_FIELD = "idempotencyKey";

    private final SubmitRequestParser parser;
    private final JobAcceptance acceptance;
    private final LoadControl load;

    public BatchSubmit(SubmitRequestParser parser, JobAcceptance acceptance, LoadControl load) {
        this.parser = parser;
        this.acceptance = acceptance;
        this.load = load;
    }

    ApiResponse handle(ApiRequest req, String tenant) {
        if (req.body().length > MAX_BYTES) {
            return Problem.of(413, "too-large", "Body too large", "the body is " + req.body().length + " bytes; a batch may be at most "
                    + MAX_BYTES + " bytes and " + MAX_JOBS + " jobs").toResponse();
        }
        String contentType = req.header("content-type");
        if (contentType != null && !Responses.isJson(contentType)) {
            return Problem.of(415, "unsupported-media-type", "Unsupported media type", "send Content-Type: application/json").toResponse();
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(req.body());
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            return Problem.of(400, "malformed-json", "The body is not valid JSON", "malformed JSON" + where + ": " + e.getOriginalMessage()).toResponse();
        } catch (IOException e) {
            return Problem.of(400, "malformed-json", "The body is not valid JSON", "unreadable body").toResponse();
        }
        if (root == null || root.isMissingNode()) {
            return Problem.of(400, "malformed-json", "The body is not valid JSON", "the body is empty; expected {\"jobs\": [...]}").toResponse();
        }
        if (!root.isObject()) {
            return Problem.validation(List.of(new FieldError("(body)", "must be a JSON object with a jobs array"))).toResponse();
        }
        List<FieldError> shape = new ArrayList<>();
        root.fieldNames().forEachRemaining(f -> {
            if (!f.equals("jobs")) {
                shape.add(new FieldError(f, "unknown field; allowed: jobs"));
            }
        });
        JsonNode jobs = root.get("jobs");
        if (jobs == null || jobs.isNull()) {
            shape.add(new FieldError("jobs", "is required"));
        } else if (!jobs.isArray()) {
            shape.add(new FieldError("jobs", "must be an array of jobs"));
        } else if (jobs.isEmpty()) {
            shape.add(new FieldError("jobs", "must hold at least one job"));
        }
        if (!shape.isEmpty()) {
            return Problem.validation(shape).toResponse();
        }
        if (jobs.size() > MAX_JOBS) {
            return Problem.of(413, "too-large", "Batch too large", "the batch holds " + jobs.size() + " jobs; the limit is " + MAX_JOBS)
                    .toResponse();
        }
        return accept(jobs, tenant, Traceparent.continueOrStart(req.header("traceparent")));
    }

    private ApiResponse accept(JsonNode jobs, String tenant, String traceparent) {
        int n = jobs.size();
        Problem[] rejected = new Problem[n];
        List<Integer> valid = new ArrayList<>();
        List<JobAcceptance.Item> items = new ArrayList<>();
        Map<String, Long> depths = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String prefix = "jobs[" + i + "].";
            JsonNode item = jobs.get(i);
            if (!item.isObject()) {
                rejected[i] = Problem.validation(List.of(new FieldError("jobs[" + i + "]", "must be a JSON object")));
                continue;
            }
            ObjectNode body = ((ObjectNode) item).deepCopy();
            JsonNode keyNode = body.remove(KEY_FIELD);
            List<FieldError> errors = new ArrayList<>();
            String key = null;
            if (keyNode != null && !keyNode.isNull()) {
                if (!keyNode.isTextual()) {
                    errors.add(new FieldError(prefix + KEY_FIELD, "must be a string"));
                } else {
                    try {
                        key = IdempotencyKeys.parse(keyNode.asText()).orElse(null);
                    } catch (IllegalArgumentException e) {
                        errors.add(new FieldError(prefix + KEY_FIELD, e.getMessage()));
                    }
                }
            }
            SubmitRequestParser.Parsed parsed = parser.parse(body);
            for (FieldError e : parsed.errors()) {
                String field = e.field().equals("(body)") ? "jobs[" + i + "]" : prefix + e.field();
                errors.add(new FieldError(field, e.message()));
            }
            if (!errors.isEmpty()) {
                rejected[i] = Problem.validation(errors);
                continue;
            }
            SubmitRequest request = parsed.request();
            if (load.shedQueueDepth() > 0) {
                long depth = depths.computeIfAbsent(request.type(), t -> load.depths().depth(t));
                if (depth >= load.shedQueueDepth()) {
                    rejected[i] = queueFull(request.type(), depth);
                    continue;
                }
            }
            valid.add(i);
            items.add(new JobAcceptance.Item(request, key, traceparent));
        }

        RateLimit limit = load.admission().tenantLimit();
        AdmissionDecision.Admitted admitted = null;
        List<JobAcceptance.Outcome> outcomes = List.of();
        if (!valid.isEmpty()) {
            AdmissionDecision decision = load.admission().admit(tenant, valid.size());
            int granted = 0;
            Problem overBudget = null;
            if (decision instanceof AdmissionDecision.Admitted a) {
                admitted = a;
                granted = Math.min(a.granted(), valid.size());
                if (granted < valid.size()) {
                    overBudget = rateLimited(limit, Duration.ofMillis(limit.unlimited() ? 1000 : Math.round(1000 / limit.perSecond())));
                }
            } else {
                AdmissionDecision.Rejected r = (AdmissionDecision.Rejected) decision;
                overBudget = r.scope() == AdmissionDecision.Scope.TENANT ? rateLimited(limit, r.retryAfter()) : overloaded(r.retryAfter());
            }
            for (int k = granted; k < valid.size(); k++) {
                rejected[valid.get(k)] = overBudget;
            }
            outcomes = granted == 0 ? List.of() : acceptance.acceptAll(tenant, items.subList(0, granted), true);
        }

        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode results = Json.MAPPER.createArrayNode();
        int accepted = 0;
        int replayed = 0;
        Map<Integer, JobAcceptance.Outcome> outcomeOf = new HashMap<>();
        for (int k = 0; k < outcomes.size(); k++) {
            outcomeOf.put(valid.get(k), outcomes.get(k));
        }
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode r = results.addObject().put("index", i);
            JobAcceptance.Outcome o = outcomeOf.get(i);
            if (o instanceof JobAcceptance.Outcome.Accepted a) {
                accepted++;
                job(r.put("status", "accepted"), a.record());
            } else if (o instanceof JobAcceptance.Outcome.Replayed rp) {
                replayed++;
                r.put("status", "replayed");
                if (rp.current() != null) {
                    job(r, rp.current());
                } else {
                    JsonNode stored = rp.stored();
                    r.put("jobId", stored.path("jobId").asText()).put("type", stored.path("type").asText())
                            .put("jobStatus", stored.path("status").asText());
                }
            } else {
                Problem p = o != null ? problem(o) : rejected[i];
                problems.add(p);
                r.put("status", "rejected").set("problem", p.toJson());
            }
        }
        out.put("accepted", accepted).put("replayed", replayed).put("rejected", problems.size());
        out.set("results", results);

        Map<String, String> headers = new HashMap<>();
        int status;
        if (problems.isEmpty()) {
            status = 202;
        } else if (accepted + replayed > 0) {
            status = 207;
        } else if (problems.stream().allMatch(p -> p.slug().equals("rate-limited"))) {
            status = 429;
            headers.put("Retry-After", problems.get(0).headers().getOrDefault("Retry-After", "1"));
        } else if (problems.stream().allMatch(p -> p.slug().equals("overloaded"))) {
            status = 503;
            headers.put("Retry-After", problems.get(0).headers().getOrDefault("Retry-After", "1"));
        } else {
            status = 422;
        }
        ApiResponse response = ApiResponse.json(status, out, headers);
        return admitted == null ? JobsApi.withRateHeaders(response, limit, 0, Duration.ZERO)
                : JobsApi.withRateHeaders(response, limit, admitted.remaining(), admitted.reset());
    }

    private static void job(ObjectNode r, JobRecord rec) {
        r.put("jobId", rec.jobId()).put("type", rec.type()).put("jobStatus", rec.status().wire());
        if (rec.runAt() != null) {
            r.put("runAt", rec.runAt().toString());
        }
    }

    /** The problem for an item, or a single submit, that was valid but not accepted. */
    static Problem problem(JobAcceptance.Outcome o) {
        if (o instanceof JobAcceptance.Outcome.InProgress) {
            return Problem.of(409, "idempotency-key-in-use", "Request in progress",
                    "a request with this Idempotency-Key is still being accepted; retry shortly").header("Retry-After", "1");
        }
        if (o instanceof JobAcceptance.Outcome.Mismatch) {
            return Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused",
                    "this Idempotency-Key was used with a different request; use a new key for a new request");
        }
        return Problem.of(503, "unavailable", "Service unavailable", "the broker did not confirm the job; nothing was accepted, retry later")
                .header("Retry-After", "1");
    }

    static Problem rateLimited(RateLimit limit, Duration retryAfter) {
        String retry = Responses.retryAfter(retryAfter);
        return Problem.of(429, "rate-limited", "Too many requests", "this API key is over its rate of " + limit.perSecond() + "/s (burst "
                + limit.burst() + "); retry after " + retry + " s").header("Retry-After", retry);
    }

    static Problem overloaded(Duration retryAfter) {
        return Problem.of(503, "overloaded", "Service overloaded", "the platform is over its global submit budget; retry later")
                .header("Retry-After", Responses.retryAfter(retryAfter));
    }

    static Problem queueFull(String type, long depth) {
        return Problem.of(503, "overloaded", "Service overloaded", "the " + type + " queue holds " + depth
                + " jobs, over its high-water mark; retry later").header("Retry-After", "5");
    }
}
