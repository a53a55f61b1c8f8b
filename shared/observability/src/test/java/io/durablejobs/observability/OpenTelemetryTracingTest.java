package io.durablejobs.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.tracing.TraceSpan;
import io.durablejobs.core.tracing.Tracing;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class OpenTelemetryTracingTest {
    private final List<SpanData> exported = new CopyOnWriteArrayList<>();
    private final OpenTelemetryTracing tracing = new OpenTelemetryTracing(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new SpanExporter() {
                @Override
                public CompletableResultCode export(Collection<SpanData> spans) {
                    exported.addAll(spans);
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode flush() {
                    return CompletableResultCode.ofSuccess();
                }

                @Override
                public CompletableResultCode shutdown() {
                    return CompletableResultCode.ofSuccess();
                }
            })).build());

    @Test
    void aSpanContinuesTheIncomingTrace_andHandsOnItsOwnSpanId() {
        String incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String handedOn;
        try (TraceSpan submit = tracing.start("submit", incoming, Map.of("jobs.tenant", "acme"))) {
            handedOn = submit.traceparent();
            assertThat(submit.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        }
        try (TraceSpan run = tracing.start("job.process", handedOn, Map.of())) {
            run.error("retryable: HTTP 503");
        }
        assertThat(exported).hasSize(2);
        assertThat(exported.get(0).getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(exported.get(1).getParentSpanId()).isEqualTo(exported.get(0).getSpanId());
        assertThat(exported).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736"));
        assertThat(handedOn).matches("^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$");
    }

    @Test
    void noOrBadParent_startsANewTrace() {
        try (TraceSpan s = tracing.start("submit", "garbage", Map.of())) {
            assertThat(s.traceId()).matches("^[0-9a-f]{32}$").isNotEqualTo("00000000000000000000000000000000");
        }
    }

    @Test
    void settings_logByDefault_offWhenAsked() {
        assertThat(TracingSettings.open(Map.of(), "t")).isInstanceOf(OpenTelemetryTracing.class);
        Tracing off = TracingSettings.open(Map.of("JOBS_TRACING", "off"), "t");
        assertThat(off).isSameAs(Tracing.NONE);
        assertThat(off.start("x", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", Map.of()).traceId())
                .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }
}
