package io.durablejobs.core.metrics;

import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.tracing.TraceSpan;
import io.durablejobs.core.tracing.Tracing;
import io.durablejobs.core.work.JobHeaders;
import java.util.HashMap;
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
        Object parent = m.headers().get(JobHeaders.TRACEPARENT);
        try (TraceSpan span = tracing.start("publish " + m.exchange(), parent == null ? null : parent.toString(),
                Map.of("messaging.system", "rabbitmq", "messaging.destination.name", m.exchange(),
                        "messaging.rabbitmq.destination.routing_key", String.valueOf(m.routingKey()),
                        "jobs.job_id", String.valueOf(m.messageId())))) {
            Map<String, Object> headers = new HashMap<>(m.headers());
            headers.put(JobHeaders.TRACEPARENT, span.traceparent());
            try {
                delegate.publish(new OutboundMessage(m.exchange(), m.routingKey(), m.body(), headers, m.messageId(), m.type(), m.priority()));
            } catch (PublishException e) {
                span.error(e.getMessage());
                throw e;
            }
        }
        if (topology.deadLetterExchange().equals(m.exchange())) {
            Object reason = m.headers().get(JobHeaders.REASON);
            metrics.count(MetricNames.DEAD_LETTERED, 1, Map.of(MetricNames.DIM_TYPE, String.valueOf(m.type()),
                    MetricNames.DIM_REASON, String.valueOf(reason)));
        }
    }
}
