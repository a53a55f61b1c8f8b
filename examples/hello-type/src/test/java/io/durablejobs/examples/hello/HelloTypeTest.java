package io.durablejobs.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.type.Outcome;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelloTypeTest {

    static JobContext ctx(String payload, int attempt) throws Exception {
        return new JobContext("j1", "t1", HelloType.NAME, Json.MAPPER.readTree(payload), attempt, Instant.now().plusSeconds(5));
    }

    @Test
    void isRegistered_throughTheOneServiceLine() {
        assertThat(JobTypeRegistry.fromServiceLoader().find(HelloType.NAME)).isPresent();
    }

    @Test
    void validate_namesTheField() throws Exception {
        assertThat(new HelloType().validate(Json.MAPPER.readTree("{\"name\":\"\",\"shout\":\"yes\"}")))
                .extracting(e -> e.field()).containsExactly("payload.name", "payload.shout");
        assertThat(new HelloType().validate(Json.MAPPER.readTree("{\"name\":\"Ada\"}"))).isEmpty();
    }

    @Test
    void handle_greets_withTheConfiguredGreeting() throws Exception {
        HelloType t = new HelloType();
        t.start(Map.of("EXAMPLE_HELLO_GREETING", "Hallo"));
        Outcome o = t.handle(ctx("{\"name\":\"Ada\"}", 1));
        assertThat(((Outcome.Succeeded) o).result().get("greeting").asText()).isEqualTo("Hallo, Ada!");
    }

    @Test
    void fail_failsTheFirstAttemptOnly() throws Exception {
        HelloType t = new HelloType();
        t.start(Map.of());
        assertThat(t.handle(ctx("{\"name\":\"fail\"}", 1))).isInstanceOf(Outcome.Retry.class);
        assertThat(t.handle(ctx("{\"name\":\"fail\"}", 2))).isInstanceOf(Outcome.Succeeded.class);
    }
}
