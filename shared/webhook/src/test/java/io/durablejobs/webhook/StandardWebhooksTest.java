package io.durablejobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {
    /*
     * The example vector published with the Standard Webhooks specification's reference libraries:
     * github.com/standard-webhooks/standard-webhooks, libraries/java/src/test/java/com/standardwebhooks/
     * WebhookTest.java, test verifyWebhookSignWorks (commit 14ae328070656be4fc19c75998cabda8eddbbe29); the
     * same values appear in the PHP, Go and JavaScript libraries' tests of that repository.
     */
    private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long SPEC_TIMESTAMP = 1614265330L;
    private static final String SPEC_BODY = "{\"test\": 2432232314}";
    private static final String SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static final Instant SPEC_NOW = Instant.ofEpochSecond(SPEC_TIMESTAMP);
    private static final Duration TOLERANCE = StandardWebhooks.DEFAULT_TOLERANCE;

    @Test
    void signsTheSpecificationExampleExactly() {
        assertThat(StandardWebhooks.sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)).isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void signsTheSameWithOrWithoutTheSecretPrefix() {
        assertThat(StandardWebhooks.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)).isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void signsBodyBytesLikeTheEquivalentText() {
        SigningSecret secret = SigningSecret.parse(SPEC_SECRET);
        assertThat(StandardWebhooks.sign(secret, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SPEC_SIGNATURE);
    }

    @Test
    void verifiesTheSpecificationExample() {
        assertThat(StandardWebhooks.verify(SPEC_SECRET, specHeaders(SPEC_SIGNATURE), SPEC_BODY, TOLERANCE, SPEC_NOW)).isTrue();
    }

    @Test
    void verifiesServerStyleMultiValuedHeadersWithAnyCase() {
        Map<String, List<String>> headers = Map.of(
                "Webhook-id", List.of(SPEC_ID),
                "WEBHOOK-TIMESTAMP", List.of(Long.toString(SPEC_TIMESTAMP)),
                "Webhook-Signature", List.of(SPEC_SIGNATURE));

        assertThat(StandardWebhooks.verify(SPEC_SECRET, headers, SPEC_BODY.getBytes(StandardCharsets.UTF_8), TOLERANCE, SPEC_NOW)).isTrue();
    }

    @Test
    void acceptsAnyMatchingSignatureAmongSeveral() {
        String several = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,whatever " + SPEC_SIGNATURE;
        assertThat(StandardWebhooks.verify(SPEC_SECRET, specHeaders(several), SPEC_BODY, TOLERANCE, SPEC_NOW)).isTrue();
    }

    @Test
    void rejectsASignatureOfAnotherVersion() {
        String v2 = SPEC_SIGNATURE.replace("v1,", "v2,");
        assertThat(StandardWebhooks.verify(SPEC_SECRET, specHeaders(v2), SPEC_BODY, TOLERANCE, SPEC_NOW)).isFalse();
    }

    @Test
    void rejectsATamperedBody() {
        assertThat(StandardWebhooks.verify(SPEC_SECRET, specHeaders(SPEC_SIGNATURE), "{\"test\": 2432232315}", TOLERANCE, SPEC_NOW)).isFalse();
    }

    @Test
    void rejectsAnotherSecret() {
        String other = WebhookSettingsTest.secretOf(24);
        assertThat(StandardWebhooks.verify(other, specHeaders(SPEC_SIGNATURE), SPEC_BODY, TOLERANCE, SPEC_NOW)).isFalse();
    }

    @Test
    void rejectsAnotherId() {
        Map<String, String> headers = specHeaders(SPEC_SIGNATURE);
        headers.put("webhook-id", "msg_other");
        assertThat(StandardWebhooks.verify(SPEC_SECRET, headers, SPEC_BODY, TOLERANCE, SPEC_NOW)).isFalse();
    }

    @Test
    void rejectsTimestampsOutsideTheToleranceEitherWay() {
        Map<String, String> headers = specHeaders(SPEC_SIGNATURE);
        assertThat(StandardWebhooks.verify(SPEC_SECRET, headers, SPEC_BODY, TOLERANCE, SPEC_NOW.plus(TOLERANCE))).isTrue();
        assertThat(StandardWebhooks.verify(SPEC_SECRET, headers, SPEC_BODY, TOLERANCE, SPEC_NOW.plus(TOLERANCE).plusSeconds(1))).isFalse();
        assertThat(StandardWebhooks.verify(SPEC_SECRET, headers, SPEC_BODY, TOLERANCE, SPEC_NOW.minus(TOLERANCE).minusSeconds(1))).isFalse();
    }

    @Test
    void rejectsMissingOrMalformedHeaders() {
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            Map<String, String> headers = specHeaders(SPEC_SIGNATURE);
            headers.remove(name);
            assertThat(StandardWebhooks.verify(SPEC_SECRET, headers, SPEC_BODY, TOLERANCE, SPEC_NOW)).as(name).isFalse();
        }
        Map<String, String> badTimestamp = specHeaders(SPEC_SIGNATURE);
        badTimestamp.put("webhook-timestamp", "yesterday");
        assertThat(StandardWebhooks.verify(SPEC_SECRET, badTimestamp, SPEC_BODY, TOLERANCE, SPEC_NOW)).isFalse();
        assertThat(StandardWebhooks.verify(SPEC_SECRET, specHeaders("no-comma"), SPEC_BODY, TOLERANCE, SPEC_NOW)).isFalse();
    }

    @Test
    void treatsAMalformedSecretAsABugNotABadMessage() {
        assertThatThrownBy(() -> StandardWebhooks.verify("whsec_***", specHeaders(SPEC_SIGNATURE), SPEC_BODY, TOLERANCE, SPEC_NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("***");
    }

    private static Map<String, String> specHeaders(String signature) {
        Map<String, String> headers = new HashMap<>();
        headers.put("webhook-id", SPEC_ID);
        headers.put("webhook-timestamp", Long.toString(SPEC_TIMESTAMP));
        headers.put("webhook-signature", signature);
        return headers;
    }
}
