package io.durablejobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.json.Json;
import org.junit.jupiter.api.Test;

class WebhookDownstreamTest {
    final WebhookDeliverType type = new WebhookDeliverType();

    @Test
    void breakerAndBulkhead_arePerTarget_hostAndExplicitPort() {
        assertThat(type.downstream(Json.MAPPER.createObjectNode().put("url", "https://Hooks.Example.com:8443/a?b=1")))
                .isEqualTo("webhook:hooks.example.com:8443");
        assertThat(type.downstream(Json.MAPPER.createObjectNode().put("url", "https://Hooks.Example.com/a?b=1")))
                .isEqualTo("webhook:hooks.example.com");
        assertThat(type.downstream(Json.MAPPER.createObjectNode().put("url", "https://hooks.example.com/other")))
                .isEqualTo("webhook:hooks.example.com");
    }

    @Test
    void noUsableUrl_meansNoBreaker() {
        assertThat(type.downstream(Json.MAPPER.createObjectNode())).isNull();
        assertThat(type.downstream(Json.MAPPER.createObjectNode().put("url", "::not a url"))).isNull();
    }
}
