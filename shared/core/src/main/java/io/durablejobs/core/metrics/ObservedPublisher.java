package io.durablejobs.core.metrics;

import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.tracing.TraceSpan;
import io.durablejobs.core.tracing.Tracing;
import io.durablejobs.core.work.JobHeaders;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A publisher that traces and counts: each publish is a span (child of the message's
 * {@code traceparent}, whose id the message then carries on, so the next hop hangs under it), and each
 * message to the dead-letter exchange counts {@code JobsDeadLettered} by type and reason.
 */
public final class ObservedPublisher implements JobPublisher {
    private final JobPublisher delegate;
    private final Topology topology;
    private final Tracing tracing;
    private final Metrics metrics;

    public ObservedPublisher(JobPublisher delegate, Topology topology, Tracing tracing, Metrics metrics) {
        this.delegate = delegate;
        this.topology = topology;
        this.tracing = tracing;
        this.metrics = metrics;
    }

    @Override
    public void publish(OutboundMessage m) throws PublishException {
        try (TraceSpan span = span(m)) {
            try {
                delegate.publish(traced(m, span));
            } catch (PublishException e) {
                span.error(e.getMessage());
                throw e;
            }
        }
        counted(m);
    }

    /** A span per message, as {@link #publish}, the messages published and confirmed together by the delegate. */
    @Override
    public Map<Integer, PublishException> publishAll(List<OutboundMessage> messages) {
        List<TraceSpan> spans = new ArrayList<>(messages.size());
        List<OutboundMessage> traced = new ArrayList<>(messages.size());
        for (OutboundMessage m : messages) {
            TraceSpan span = span(m);
            spans.add(span);
            traced.add(traced(m, span));
        }
        Map<Integer, PublishException> failed;
        try {
            failed = delegate.publishAll(traced);
        } catch (RuntimeException e) {
            spans.forEach(TraceSpan::close);
            throw e;
        }
        for (int i = 0; i < messages.size(); i++) {
            if (failed.containsKey(i)) {
                spans.get(i).error(failed.get(i).getMessage());
            } else {
                counted(messages.get(i));
            }
            spans.get(i).close();
        }
        return failed;
    }

    private TraceSpan span(OutboundMessage m) {
        Object parent = m.headers().get(JobHeaders.TRACEPARENT);
        return tracing.start("publish " + m.exchange(), parent == null ? null : parent.toString(),
                Map.of("messaging.system", "rabbitmq", "messaging.destination.name", m.exchange(),
                        "messaging.rabbitmq.destination.routing_key", String.valueOf(m.routingKey()),
                        "jobs.job_id", String.valueOf(m.messageId())));
    }

    private static OutboundMessage traced(OutboundMessage m, TraceSpan span) {
        Map<String, Object> headers = new HashMap<>(m.headers());
        headers.put(JobHeaders.TRACEPARENT, span.traceparent());
        return new OutboundMessage(m.exchange(), m.routingKey(), m.body(), headers, m.messageId(), m.type(), m.priority());
    }

    private void counted(OutboundMessage m) {
        if (topology.deadLetterExchange().equals(m.exchange())) {
            Object reason = m.headers().get(JobHeaders.REASON);
            metrics.count(MetricNames.DEAD_LETTERED, 1, Map.of(MetricNames.DIM_TYPE, String.valueOf(m.type()),
                    MetricNames.DIM_REASON, String.valueOf(reason)));
        }
    }
}
