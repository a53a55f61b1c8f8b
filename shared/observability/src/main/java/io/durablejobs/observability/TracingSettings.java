package io.durablejobs.observability;

import io.durablejobs.core.config.Settings;
import io.durablejobs.core.tracing.Tracing;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Locale;
import java.util.Map;

/**
 * Where spans go, read once from the environment: {@code JOBS_TRACING} = {@code log} (the default: one log
 * line per span), {@code otlp} (OTLP/HTTP to {@code OTEL_EXPORTER_OTLP_ENDPOINT}, the default when that is
 * set) or {@code off} (ids still flow through headers; nothing is exported).
 */
public final class TracingSettings {
    public static final String MODE = "JOBS_TRACING";

    private TracingSettings() {
    }

    public static Tracing open(Map<String, String> env, String serviceName) {
        Settings s = new Settings(env);
        String endpoint = s.string("OTEL_EXPORTER_OTLP_ENDPOINT", null);
        String mode = s.get(MODE, endpoint != null ? "otlp" : "log", v -> {
            String m = v.toLowerCase(Locale.ROOT);
            if (!m.equals("log") && !m.equals("otlp") && !m.equals("off")) {
                throw new IllegalArgumentException("must be log, otlp or off");
            }
            return m;
        });
        if (mode.equals("otlp") && endpoint == null) {
            s.problem(MODE + "=otlp needs OTEL_EXPORTER_OTLP_ENDPOINT");
        }
        s.check();
        if (mode.equals("off")) {
            return Tracing.NONE;
        }
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
        var builder = SdkTracerProvider.builder().setResource(resource);
        if (mode.equals("otlp")) {
            String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
            builder.addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build()).build());
        } else {
            builder.addSpanProcessor(SimpleSpanProcessor.create(new LogSpanExporter()));
        }
        return new OpenTelemetryTracing(builder.build());
    }
}
