package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ObservedApiTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void topLevelType_isTheAcceptedJobsTypeOrTheProblemsType_neverANestedOne() {
        assertThat(ObservedApi.topLevelType(b("{\"jobId\":\"0193\",\"type\":\"webhook.deliver\",\"status\":\"queued\"}")))
                .isEqualTo("webhook.deliver");
        assertThat(ObservedApi.topLevelType(b("{\"errors\":[{\"type\":\"nested\"}],\"meta\":{\"type\":\"x\"},\"type\":\"/problems/rate-limited\"}")))
                .isEqualTo("/problems/rate-limited");
        assertThat(ObservedApi.topLevelType(b("{\"jobId\":\"0193\",\"payload\":{\"type\":\"inner\"}}"))).isNull();
        assertThat(ObservedApi.topLevelType(b("{\"type\":3}"))).isNull();
        assertThat(ObservedApi.topLevelType(b("not json"))).isNull();
        assertThat(ObservedApi.topLevelType(new byte[0])).isNull();
        assertThat(ObservedApi.topLevelType(null)).isNull();
    }
}
