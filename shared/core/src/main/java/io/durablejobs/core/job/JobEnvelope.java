package io.durablejobs.core.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * What a job is, fixed at submit time: the AMQP message body. Attempt counts and failure history
 * travel in headers so the body never changes across retries. {@code callbackUrl}, when set, is told the
 * job's final outcome (a signed webhook); null for most jobs.
 */
public record JobEnvelope(String jobId, String tenant, String type, JsonNode payload, int priority, Instant createdAt, String callbackUrl) {
    public JobEnvelope(String jobId, String tenant, String type, JsonNode payload, int priority, Instant createdAt) {
        this(jobId, tenant, type, payload, priority, createdAt, null);
    }

    /** The same job with a callback URL (null: none). */
    public JobEnvelope withCallbackUrl(String url) {
        return new JobEnvelope(jobId, tenant, type, payload, priority, createdAt, url);
    }

    public JobEnvelope {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
