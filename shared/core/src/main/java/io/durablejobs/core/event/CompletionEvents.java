package io.durablejobs.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Tells other systems that a job reached a final state: a persistent message on the topic exchange
 * {@code <ns>.events} with routing key {@code <type>.<status>} (e.g. {@code webhook.deliver.succeeded}),
 * published with a confirm. At least once: the worker publishes it after recording the outcome, fails the
 * batch when the broker does not confirm, and publishes it again when the redelivered message finds the job
 * finished; consumers recognise a repeat by {@code messageId} ({@code <jobId>.<status>}). A job submitted with a
 * {@code callbackUrl} also gets its callback enqueued here ({@link CompletionCallbacks}), after the event.
 */
public final class CompletionEvents {
    public static final CompletionEvents NONE = new CompletionEvents(EventPublisher.NONE, null);
    public static final String MESSAGE_TYPE = "job.finished";

    private final EventPublisher publisher;
    private final Topology topology;
    private final CompletionCallbacks callbacks;

    public CompletionEvents(EventPublisher publisher, Topology topology) {
        this(publisher, topology, CompletionCallbacks.NONE);
    }

    /** @param publisher {@link EventPublisher#NONE} for callbacks without events */
    public CompletionEvents(EventPublisher publisher, Topology topology, CompletionCallbacks callbacks) {
        this.publisher = publisher;
        this.topology = topology;
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
    }

    public boolean enabled() {
        return this != NONE;
    }

    /** The event of {@code job}'s final outcome {@code r} (of replay generation {@code generation}), then its callback. */
    public void finished(JobEnvelope job, JobRecord r, int generation) throws PublishException {
        finished(r);
        callbacks.finished(job, r, generation);
    }

    public void finished(JobRecord r) throws PublishException {
        if (!enabled() || publisher == EventPublisher.NONE) {
            return;
        }
        publisher.publishEvent(new OutboundMessage(topology.eventsExchange(), routingKey(r), Json.MAPPER.valueToTree(body(r)).toString()
                .getBytes(StandardCharsets.UTF_8), Map.of("tenant", r.tenant()), r.jobId() + "." + r.status().wire(),
                MESSAGE_TYPE, 0));
    }

    public static String routingKey(JobRecord r) {
        return r.type() + "." + r.status().wire();
    }

    /** The event's JSON: the job's id, tenant, type, final status, attempts, times, and result or error. */
    public static ObjectNode body(JobRecord r) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("jobId", r.jobId());
        n.put("tenant", r.tenant());
        n.put("type", r.type());
        n.put("status", r.status().wire());
        n.put("attempts", r.attempts());
        n.put("createdAt", r.createdAt().toString());
        n.put("finishedAt", r.updatedAt().toString());
        if (r.result() != null && !r.result().isNull()) {
            n.set("result", r.result());
        }
        if (r.error() != null) {
            n.put("error", r.error());
        }
        return n;
    }
}
