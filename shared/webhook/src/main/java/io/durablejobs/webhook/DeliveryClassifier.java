package io.durablejobs.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Turns what happened to a POST into the job's outcome: 2xx succeeds; 410 and other 4xx, 3xx and refused
 * targets dead-letter at once (retrying cannot help); 408, 429, 5xx, timeouts, unknown hosts (DNS is
 * sometimes briefly broken) and transport failures retry, honouring {@code Retry-After}.
 */
public final class DeliveryClassifier {

    private DeliveryClassifier() {
    }

    public static Outcome classify(Delivery delivery, String webhookId, Instant now) {
        if (delivery instanceof Delivery.Responded r) {
            return byStatus(r, webhookId, now);
        }
        if (delivery instanceof Delivery.TimedOut t) {
            return Outcome.retry("timeout: " + t.phase());
        }
        if (delivery instanceof Delivery.Refused r) {
            return Outcome.deadLetter(DeliveryReasons.FORBIDDEN_TARGET, "target " + r.host() + " resolves to a "
                    + r.scope().name().toLowerCase(Locale.ROOT).replace('_', '-') + " address, which webhooks may not reach");
        }
        if (delivery instanceof Delivery.UnknownHost) {
            return Outcome.retry("unknown host");
        }
        return Outcome.retry(((Delivery.Failed) delivery).error());
    }

    private static Outcome byStatus(Delivery.Responded r, String webhookId, Instant now) {
        int status = r.statusCode();
        String error = "HTTP " + status;
        if (status >= 200 && status < 300) {
            ObjectNode result = Json.MAPPER.createObjectNode();
            result.put("statusCode", status);
            result.put("webhookId", webhookId);
            return Outcome.succeeded(result);
        }
        if (status == 410) {
            return Outcome.deadLetter(DeliveryReasons.ENDPOINT_GONE, error);
        }
        if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
            Duration notBefore = RetryAfter.parse(r.retryAfter(), now).orElse(Duration.ZERO);
            return new Outcome.Retry(error, notBefore);
        }
        if (status >= 300 && status < 400) {
            return Outcome.deadLetter(DeliveryReasons.REDIRECT_REFUSED, error);
        }
        if (status >= 400 && status < 500) {
            return Outcome.deadLetter(DeliveryReasons.CLIENT_ERROR, error);
        }
        return Outcome.retry(error + " (not a valid final status)");
    }
}
