package io.durablejobs.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablejobs.infra.model.FunctionAccess;
import io.durablejobs.infra.model.FunctionAccess.Blobs;
import io.durablejobs.infra.model.FunctionAccess.Secret;
import io.durablejobs.infra.model.FunctionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who touches what, from the trigger and platform.json alone (no synth). */
class FunctionAccessTest {
    private static final JsonNode PLATFORM = platform();

    private static JsonNode platform() {
        try {
            return new ObjectMapper().readTree("{\"bucket\":{\"blobJobTypes\":[\"image.transform\",\"pdf.render\"]}}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static FunctionSpec fn(String kind, String jobType, String role) {
        return new FunctionSpec("f", "m", "a", "h", "java21", 512, 60, 10, 500, 1, null, false, new FunctionSpec.Trigger(kind, jobType, role, List.of()));
    }

    @Test
    void api_readsAndUploadsBlobs_servesDeadLetters_withApiKeys() {
        FunctionAccess a = FunctionAccess.of(fn("http", null, null), PLATFORM);
        assertThat(a.blobs()).isEqualTo(Blobs.READWRITE);
        assertThat(a.deadLetters()).isTrue();
        assertThat(a.pushMetrics()).isFalse();
        assertThat(a.secrets()).containsExactly(Secret.BROKER, Secret.CACHE, Secret.API_KEYS);
    }

    @Test
    void outputWritingWorkers_readAndWriteBlobs_othersNone() {
        assertThat(FunctionAccess.of(fn("queue", "image.transform", null), PLATFORM).blobs()).isEqualTo(Blobs.READWRITE);
        assertThat(FunctionAccess.of(fn("queue", "pdf.render", null), PLATFORM).blobs()).isEqualTo(Blobs.READWRITE);
        FunctionAccess webhook = FunctionAccess.of(fn("queue", "webhook.deliver", null), PLATFORM);
        assertThat(webhook.blobs()).isEqualTo(Blobs.NONE);
        assertThat(webhook.deadLetters()).isFalse();
        assertThat(webhook.secrets()).containsExactly(Secret.BROKER, Secret.CACHE, Secret.WEBHOOK_SIGNING);
    }

    @Test
    void dlqConsumer_deadLettersAndMetrics_noBlobs() {
        FunctionAccess a = FunctionAccess.of(fn("queue", null, "dead"), PLATFORM);
        assertThat(a.blobs()).isEqualTo(Blobs.NONE);
        assertThat(a.deadLetters()).isTrue();
        assertThat(a.pushMetrics()).isTrue();
        assertThat(a.secrets()).containsExactly(Secret.BROKER, Secret.CACHE);
    }

    @Test
    void deployStep_brokerSecretOnly() {
        FunctionSpec deploy = fn("deploy", null, null);
        FunctionAccess a = FunctionAccess.of(deploy, PLATFORM);
        assertThat(FunctionAccess.brokerOnly(deploy)).isTrue();
        assertThat(a.blobs()).isEqualTo(Blobs.NONE);
        assertThat(a.deadLetters()).isFalse();
        assertThat(a.secrets()).containsExactly(Secret.BROKER);
    }
}
