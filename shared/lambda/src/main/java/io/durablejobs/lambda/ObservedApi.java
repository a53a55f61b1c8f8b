package io.durablejobs.lambda;

import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import io.durablejobs.core.api.JobsApi;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.metrics.MetricNames;
import io.durablejobs.core.tracing.TraceSpan;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.MDC;

/**
 * One API call with its span and metrics: a {@code submit} span (child of the caller's {@code traceparent},
 * whose id the job's message then carries, so the trace a client starts runs to the worker and the DLQ),
 * {@code JobsAccepted} per type and {@code JobsRejected} by reason (the problem type), then a flush.
 */
final class ObservedApi {
    private static final String TRACEPARENT = "traceparent";

    private final JobsApi api;
    private final FunctionTelemetry telemetry;

    ObservedApi(JobsApi api, FunctionTelemetry telemetry) {
        this.api = api;
        this.telemetry = telemetry;
    }

    ApiResponse handle(ApiRequest req) {
        String method = req.method() == null ? "" : req.method().toUpperCase(Locale.ROOT);
        boolean submit = method.equals("POST") && "/v1/jobs".equals(req.path());
        TraceSpan span = telemetry.tracing().start(submit ? "submit" : method + " " + route(req.path()), req.header(TRACEPARENT),
                Map.of("http.request.method", method, "url.path", String.valueOf(req.path())));
        try {
            MDC.put("traceId", span.traceId());
            Map<String, String> headers = new HashMap<>(req.headers());
            headers.put(TRACEPARENT, span.traceparent());
            ApiResponse r = api.handle(new ApiRequest(req.method(), req.path(), req.query(), headers, req.body(), req.requestId()));
            span.attribute("http.response.status_code", Integer.toString(r.status()));
            if (r.status() >= 500) {
                span.error("HTTP " + r.status());
            }
            if (submit) {
                count(r);
            }
            return r;
        } finally {
            span.close();
            MDC.remove("traceId");
            telemetry.flush();
        }
    }

    private void count(ApiResponse r) {
        if (r.status() == 202) {
            String type = "unknown";
            try {
                type = Json.MAPPER.readTree(r.body()).path("type").asText("unknown");
            } catch (IOException ignored) {
                // the body is ours and JSON; a failure here only loses the dimension
            }
            telemetry.metrics().count(MetricNames.ACCEPTED, 1, Map.of(MetricNames.DIM_TYPE, type));
            return;
        }
        String reason = "http_" + r.status();
        try {
            String t = Json.MAPPER.readTree(r.body()).path("type").asText("");
            if (t.startsWith("/problems/")) {
                reason = t.substring("/problems/".length());
            }
        } catch (IOException ignored) {
            // not a problem document: keep the status
        }
        telemetry.metrics().count(MetricNames.REJECTED, 1, Map.of(MetricNames.DIM_REASON, reason));
    }

    /** Path templates, so span names stay few: ids are replaced. */
    static String route(String path) {
        if (path == null) {
            return "/";
        }
        return path.replaceAll("/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "/{id}");
    }
}
