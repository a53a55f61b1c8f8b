package io.durablejobs.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.retry.RetryPolicy;
import io.durablejobs.core.type.FieldError;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobType;
import io.durablejobs.core.type.Outcome;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What the submit function needs of {@code webhook.deliver}: its name, payload validation, retry policy
 * (the retry queues are declared from it) and downstream. {@code WebhookDeliverType} adds the delivery
 * itself and its HTTP client; where both are on the classpath the registry keeps that one.
 */
public class WebhookDeliverSpec implements JobType {
    public static final String NAME = "webhook.deliver";
    /** Receivers are often down for minutes (deploys, restarts): more attempts than the default, same cap. */
    public static final RetryPolicy RETRY_POLICY = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofMinutes(10));

    @Override
    public final String name() {
        return NAME;
    }

    @Override
    public final List<FieldError> validate(JsonNode payload) {
        return WebhookPayload.validate(payload);
    }

    /**
     * One circuit breaker and bulkhead per target: {@code webhook:<host>} (lower case), with {@code :<port>}
     * when the URL names one, since two ports of one host are usually two services.
     */
    @Override
    public final String downstream(JsonNode payload) {
        JsonNode url = payload.get("url");
        if (url == null || !url.isTextual()) {
            return null;
        }
        try {
            URI uri = URI.create(url.asText());
            String host = uri.getHost();
            if (host == null) {
                return null;
            }
            return "webhook:" + host.toLowerCase(Locale.ROOT) + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public final RetryPolicy retryPolicy() {
        return RETRY_POLICY;
    }

    /** Overridden by the full type; a worker that reaches this was built without its type's handler module. */
    @Override
    public Outcome handle(JobContext context) throws Exception {
        throw new IllegalStateException(NAME + ": this function carries only the spec of the type, not its handler");
    }
}
