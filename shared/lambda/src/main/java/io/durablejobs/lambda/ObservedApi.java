package io.durablejobs.lambda;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
 * {@code JobsAccepted} per type and {@code JobsRejected} by reason (the problem type), then a flush. The span
 * starts once the API lets the request through: a request refused at authentication or admission has none.
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
        // The span starts when the API lets the request through: a submit its tenant's rate refuses costs no span.
        TraceSpan[] span = new TraceSpan[1];
        try {
            ApiResponse r = api.handle(req, let -> {
                TraceSpan s = telemetry.tracing().start(submit ? "submit" : method + " " + route(let.path()), let.header(TRACEPARENT),
                        Map.of("http.request.method", method, "url.path", String.valueOf(let.path())));
                span[0] = s;
                MDC.put("traceId", s.traceId());
                Map<String, String> headers = new HashMap<>(let.headers());
                headers.put(TRACEPARENT, s.traceparent());
                return new ApiRequest(let.method(), let.path(), let.query(), headers, let.body(), let.requestId());
            });
            if (span[0] != null) {
                span[0].attribute("http.response.status_code", Integer.toString(r.status()));
                if (r.status() >= 500) {
                    span[0].error("HTTP " + r.status());
                }
            }
            if (submit) {
                count(r);
            }
            return r;
        } finally {
            if (span[0] != null) {
                span[0].close();
                MDC.remove("traceId");
            }
            telemetry.flush();
        }
    }

    private void count(ApiResponse r) {
        if (r.status() == 202) {
            String type = topLevelType(r.body());
            telemetry.metrics().count(MetricNames.ACCEPTED, 1, Map.of(MetricNames.DIM_TYPE, type == null ? "unknown" : type));
            return;
        }
        String reason = "http_" + r.status();
        String t = topLevelType(r.body());
        if (t != null && t.startsWith("/problems/")) {
            reason = t.substring("/problems/".length());
        }
        telemetry.metrics().count(MetricNames.REJECTED, 1, Map.of(MetricNames.DIM_REASON, reason));
    }

    /**
     * The body's top-level {@code "type"} string (the accepted job's type, or the problem's type URI), read
     * with Jackson's streaming parser and stopped there: the answer is ours and small, and building a tree
     * of it for one field cost a second parse per request. Null when absent or not JSON.
     */
    static String topLevelType(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("type") && v == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null; // not JSON: the metric keeps its status or "unknown"
        }
    }

    /** Path templates, so span names stay few: ids are replaced. */
    static String route(String path) {
        if (path == null) {
            return "/";
        }
        return path.replaceAll("/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "/{id}");
    }
}
