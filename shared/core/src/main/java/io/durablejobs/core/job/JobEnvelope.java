package io.durablejobs.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * What a job is, fixed at submit time: the AMQP message body. Attempt counts and failure history
 * travel in headers so the body never changes across retries.
 */
public record JobEnvelope(String jobId, String tenant, String type, JsonNode payload, int priority, Instant createdAt) {
    public JobEnvelope {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
