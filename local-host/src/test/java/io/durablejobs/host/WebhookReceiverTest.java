package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.webhook.StandardWebhooks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The dev receiver answers 200 and prints what a receiver checks, never the body. */
class WebhookReceiverTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");

    private static String deliver(String receiverSecret, String signingSecret, String body) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (WebhookReceiver r = WebhookReceiver.start(0, receiverSecret, new PrintStream(printed, true, StandardCharsets.UTF_8),
                Clock.fixed(NOW, ZoneOffset.UTC))) {
            String signature = StandardWebhooks.sign(signingSecret, "job-1", NOW.getEpochSecond(), "{\"secret\":\"s3cr3t\"}");
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.port() + "/hook"))
                    .header("webhook-id", "job-1").header("webhook-timestamp", Long.toString(NOW.getEpochSecond()))
                    .header("webhook-signature", signature).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(r.deliveries()).isEqualTo(1);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSignedDelivery_isPrintedAsValid_withItsIdAndSize_butNotItsBody() throws Exception {
        String line = deliver(SECRET, SECRET, "{\"secret\":\"s3cr3t\"}");
        assertThat(line).contains("POST /hook").contains("webhook-id=job-1").contains("signature valid")
                .contains("body 19 bytes").doesNotContain("s3cr3t");
    }

    @Test
    void anAlteredBody_orAnotherKey_isPrintedAsInvalid() throws Exception {
        assertThat(deliver(SECRET, SECRET, "{\"secret\":\"other\"}")).contains("signature INVALID");
        assertThat(deliver(SECRET, "whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB", "{\"secret\":\"s3cr3t\"}")).contains("signature INVALID");
    }

    @Test
    void withoutAKey_signaturesAreNotChecked_andItSaysSo() throws Exception {
        assertThat(deliver(null, SECRET, "{}")).contains("signature not checked");
    }
}
