package io.durablejobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.type.Outcome;
import io.durablejobs.webhook.ssrf.AddressScope;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DeliveryClassifierTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void succeedsOn2xxWithStatusAndWebhookId(int status) {
        Outcome o = DeliveryClassifier.classify(new Delivery.Responded(status, null), "job-1", NOW);

        assertThat(o).isInstanceOfSatisfying(Outcome.Succeeded.class, s -> {
            assertThat(s.result().get("statusCode").intValue()).isEqualTo(status);
            assertThat(s.result().get("webhookId").textValue()).isEqualTo("job-1");
        });
    }

    @Test
    void deadLettersGoneEndpoints() {
        assertThat(DeliveryClassifier.classify(new Delivery.Responded(410, "5"), "j", NOW))
                .isEqualTo(new Outcome.DeadLetter("endpoint_gone", "HTTP 410"));
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504, 599})
    void retriesTimeoutsThrottlingAndServerErrorsHonouringRetryAfter(int status) {
        assertThat(DeliveryClassifier.classify(new Delivery.Responded(status, "7"), "j", NOW))
                .isEqualTo(new Outcome.Retry("HTTP " + status, Duration.ofSeconds(7)));
        assertThat(DeliveryClassifier.classify(new Delivery.Responded(status, "garbage"), "j", NOW))
                .isEqualTo(new Outcome.Retry("HTTP " + status, Duration.ZERO));
    }

    @ParameterizedTest
    @ValueSource(ints = {300, 301, 302, 303, 304, 307, 308})
    void deadLettersRedirects(int status) {
        assertThat(DeliveryClassifier.classify(new Delivery.Responded(status, null), "j", NOW))
                .isEqualTo(new Outcome.DeadLetter("redirect_refused", "HTTP " + status));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 405, 409, 413, 422, 451})
    void deadLettersOtherClientErrors(int status) {
        assertThat(DeliveryClassifier.classify(new Delivery.Responded(status, "7"), "j", NOW))
                .isEqualTo(new Outcome.DeadLetter("client_error", "HTTP " + status));
    }

    @Test
    void retriesTimeoutsUnknownHostsAndTransportFailures() {
        assertThat(DeliveryClassifier.classify(new Delivery.TimedOut("connect"), "j", NOW)).isEqualTo(Outcome.retry("timeout: connect"));
        assertThat(DeliveryClassifier.classify(new Delivery.UnknownHost("h"), "j", NOW)).isEqualTo(Outcome.retry("unknown host"));
        assertThat(DeliveryClassifier.classify(new Delivery.Failed("I/O error: reset"), "j", NOW)).isEqualTo(Outcome.retry("I/O error: reset"));
    }

    @Test
    void deadLettersRefusedTargetsWithoutRevealingTheAddress() {
        Outcome o = DeliveryClassifier.classify(new Delivery.Refused("internal.example", "10.1.2.3", AddressScope.PRIVATE), "j", NOW);

        assertThat(o).isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> {
            assertThat(d.reason()).isEqualTo("forbidden_target");
            assertThat(d.error()).contains("internal.example").contains("private").doesNotContain("10.1.2.3");
        });
    }
}
