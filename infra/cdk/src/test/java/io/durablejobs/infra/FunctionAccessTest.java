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
            return new ObjectMapper().readTree("{\"bucket\":{\"blobJobTypes\":[\"image.transform\",\"pdf.render\"]},"
                    + "\"api\":{\"routes\":[{\"method\":\"POST\",\"path\":\"/v1/jobs\"},{\"method\":\"GET\",\"path\":\"/v1/blobs/{key+}\"},"
                    + "{\"method\":\"PUT\",\"path\":\"/v1/blobs/{key+}\"},{\"method\":\"GET\",\"path\":\"/v1/dlq\"},"
                    + "{\"method\":\"POST\",\"path\":\"/v1/dlq/replay\"}]}}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static FunctionSpec fn(String kind, String jobType, String role) {
        return fn("f", kind, jobType, role, List.of());
    }

    private static FunctionSpec fn(String name, String kind, String jobType, String role, List<String> routes) {
        return new FunctionSpec(name, "m", "a", "h", "java21", 512, 60, 10, 500, 1, null, false, new FunctionSpec.Trigger(kind, jobType, role, routes));
    }

    @Test
    void splitApi_onlyTheFunctionServingTheStoreRoutes_touchesTheStores() {
        FunctionSpec submit = fn("submit", "http", null, null, List.of());
        FunctionSpec store = fn("store-api", "http", null, null, List.of("GET /v1/blobs/{key+}", "PUT /v1/blobs/{key+}", "GET /v1/dlq", "POST /v1/dlq/replay"));
        List<FunctionSpec> table = List.of(submit, store);

        FunctionAccess s = FunctionAccess.of(submit, PLATFORM, table);
        assertThat(s.blobs()).isEqualTo(Blobs.NONE);
        assertThat(s.deadLetters()).isFalse();
        assertThat(s.secrets()).containsExactly(Secret.BROKER, Secret.CACHE, Secret.API_KEYS);
        FunctionAccess st = FunctionAccess.of(store, PLATFORM, table);
        assertThat(st.blobs()).isEqualTo(Blobs.READWRITE);
        assertThat(st.deadLetters()).isTrue();
        assertThat(st.pushMetrics()).isFalse();
        assertThat(st.secrets()).containsExactly(Secret.BROKER, Secret.CACHE, Secret.API_KEYS);
        FunctionAccess blobsOnly = FunctionAccess.of(store, PLATFORM,
                List.of(submit, fn("store-api", "http", null, null, List.of("GET /v1/blobs/{key+}", "PUT /v1/blobs/{key+}"))));
        assertThat(blobsOnly.blobs()).isEqualTo(Blobs.READWRITE);
        assertThat(blobsOnly.deadLetters()).isFalse();
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
