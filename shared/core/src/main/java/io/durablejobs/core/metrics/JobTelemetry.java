package io.durablejobs.core.metrics;

import io.durablejobs.core.api.Traceparent;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.port.JobStanding;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.tracing.TraceSpan;
import io.durablejobs.core.tracing.Tracing;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.core.work.IncomingMessage;
import io.durablejobs.core.work.JobHeaders;
import io.durablejobs.core.work.WorkerService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The worker's observer: log context (MDC {@code jobId}, {@code type}, {@code attempt}, {@code tenant},
 * {@code traceId}), one span per message under the message's {@code traceparent}, metrics per type
 * (dispositions, handler duration), and the ledger count of jobs that finished.
 *
 * <p>The ledger count goes by the job's stored status and replay generation, read after the worker's
 * fenced write; the ledger counts each (job, generation) once. So the count is repeated, harmlessly,
 * on every path that finds the job finished (a redelivered message of a finished job is skipped, and
 * counted again): a crash between the status write and the count is repaired by the redelivery that
 * crash causes. A store failure here propagates, failing the batch for the same reason.
 */
public final class JobTelemetry implements WorkerObserver {
    private final Tracing tracing;
    private final Metrics metrics;
    private final Ledger ledger;
    private final JobStore store;

    public JobTelemetry(Tracing tracing, Metrics metrics, Ledger ledger, JobStore store) {
        this.tracing = tracing;
        this.metrics = metrics;
        this.ledger = ledger;
        this.store = store;
    }

    @Override
    public Scope received(IncomingMessage message) {
        String traceparent = message.header(JobHeaders.TRACEPARENT);
        put("traceId", Traceparent.traceId(traceparent));
        put("attempt", message.header(JobHeaders.ATTEMPT));
        put("tenant", message.header(JobHeaders.TENANT));
        put("jobId", message.messageId());
        Map<String, String> attrs = new HashMap<>();
        attrs.put("messaging.destination.name", String.valueOf(message.queue()));
        TraceSpan span = tracing.start("job.process", traceparent, attrs);
        return new MessageScope(span);
    }

    private final class MessageScope implements Scope {
        private final TraceSpan span;
        private JobEnvelope job;

        MessageScope(TraceSpan span) {
            this.span = span;
        }

        @Override
        public void decoded(JobEnvelope job, int attempt) {
            this.job = job;
            put("jobId", job.jobId());
            put("type", job.type());
            put("tenant", job.tenant());
            put("attempt", Integer.toString(attempt));
            span.attribute("jobs.job_id", job.jobId());
            span.attribute("jobs.type", job.type());
            span.attribute("jobs.tenant", job.tenant());
            span.attribute("jobs.attempt", Integer.toString(attempt));
        }

        @Override
        public void handled(JobEnvelope job, int attempt, Outcome outcome, Duration took) {
            metrics.millis(MetricNames.HANDLER_DURATION, took.toNanos() / 1e6, Map.of(MetricNames.DIM_TYPE, job.type()));
            if (outcome instanceof Outcome.Retry r) {
                span.error("retryable: " + r.error());
            } else if (outcome instanceof Outcome.DeadLetter d) {
                span.error(d.reason() + ": " + d.error());
            }
        }

        private io.durablejobs.core.job.JobStatus finishedStatus;
        private int finishedGeneration;

        @Override
        public void finished(io.durablejobs.core.job.JobStatus status, int generation) {
            finishedStatus = status;
            finishedGeneration = generation;
        }

        @Override
        public void disposed(WorkerService.Disposition d) {
            String type = job == null ? "unknown" : job.type();
            metrics.count(metricOf(d), 1, Map.of(MetricNames.DIM_TYPE, type));
            span.attribute("jobs.disposition", d.name().toLowerCase(java.util.Locale.ROOT));
            if (job != null && finishedStatus != null) {
                // This run wrote the terminal status itself: count it without reading the job back.
                ledger.finished(job.tenant(), job.type(), job.jobId(), finishedGeneration, finishedStatus);
            } else if (job != null && (d == WorkerService.Disposition.SUCCEEDED || d == WorkerService.Disposition.DEAD_LETTERED
                    || d == WorkerService.Disposition.SKIPPED)) {
                Optional<JobStanding> s = store.standing(job.jobId());
                if (s.isPresent() && s.get().status().isTerminal()) {
                    ledger.finished(job.tenant(), job.type(), job.jobId(), s.get().generation(), s.get().status());
                }
            }
        }

        @Override
        public void close() {
            span.close();
            for (String k : new String[] {"jobId", "type", "attempt", "tenant", "traceId"}) {
                MDC.remove(k);
            }
        }
    }

    static String metricOf(WorkerService.Disposition d) {
        return switch (d) {
            case SUCCEEDED -> MetricNames.SUCCEEDED;
            case RETRIED -> MetricNames.RETRIED;
            case DEFERRED -> MetricNames.DEFERRED;
            case DEAD_LETTERED -> MetricNames.DEAD_LETTERED;
            case SKIPPED -> MetricNames.SKIPPED;
        };
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }
}
