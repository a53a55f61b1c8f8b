package io.durablejobs.observability;

import io.durablejobs.core.config.Settings;
import io.durablejobs.core.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Locale;
import java.util.Map;

/**
 * Where spans go, read once from the environment.
 *
 * @param mode     {@code JOBS_TRACING}: {@code log} (the default: one log line per span), {@code otlp}
 *                 (OTLP/HTTP to the endpoint; the default when one is set) or {@code off} (ids still flow
 *                 through headers; nothing is exported)
 * @param endpoint {@code OTEL_EXPORTER_OTLP_ENDPOINT}, or null
 */
public record TracingSettings(String mode, String endpoint) {
    public static final String MODE = "JOBS_TRACING";
    public static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /** Spans to the log, nothing exported elsewhere. */
    public static final TracingSettings DEFAULTS = new TracingSettings("log", null);

    /** Reads and checks: a {@code ConfigException} names every bad setting. */
    public static TracingSettings from(Map<String, String> env) {
        return Settings.readChecked(env, TracingSettings::read);
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static TracingSettings read(Settings s) {
        String endpoint = s.string(ENDPOINT, null);
        String mode = s.get(MODE, endpoint != null ? "otlp" : "log", v -> {
            String m = v.toLowerCase(Locale.ROOT);
            if (!m.equals("log") && !m.equals("otlp") && !m.equals("off")) {
                throw new IllegalArgumentException("must be log, otlp or off");
            }
            return m;
        });
        if (mode.equals("otlp") && endpoint == null) {
            s.problem(MODE + "=otlp needs " + ENDPOINT);
            mode = "log";
        }
        return new TracingSettings(mode, endpoint);
    }

    /** Reads the settings and opens the tracer in one step. */
    public static Tracing open(Map<String, String> env, String serviceName) {
        return from(env).open(serviceName);
    }

    /** The tracer these settings describe, its spans named as coming from {@code serviceName}. */
    public Tracing open(String serviceName) {
        if (mode.equals("off")) {
            return Tracing.NONE;
        }
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
        SdkTracerProviderBuilder builder = SdkTracerProvider.builder().setResource(resource);
        if (mode.equals("otlp")) {
            String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
            builder.addSpanProcessor(BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build()).build());
        } else {
            builder.addSpanProcessor(SimpleSpanProcessor.create(new LogSpanExporter()));
        }
        return new OpenTelemetryTracing(builder.build());
    }
}
