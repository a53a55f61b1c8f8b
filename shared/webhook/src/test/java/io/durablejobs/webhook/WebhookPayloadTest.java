package io.durablejobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {

    @Test
    void sendsAStringBodyVerbatimAsUtf8Text() throws Exception {
        WebhookPayload p = WebhookPayload.from(json("{\"url\":\"https://h.example/x\",\"body\":\"  héllo {\\\"a\\\": 1}\"}"));

        assertThat(new String(p.body(), StandardCharsets.UTF_8)).isEqualTo("  héllo {\"a\": 1}");
        assertThat(p.contentType()).isEqualTo("text/plain; charset=utf-8");
    }

    @Test
    void sendsAnObjectBodyAsCompactJson() throws Exception {
        WebhookPayload p = WebhookPayload.from(json("{\"url\":\"https://h.example/x\",\"body\":{ \"a\" : [1, 2], \"b\": {\"c\": null} }}"));

        assertThat(new String(p.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":[1,2],\"b\":{\"c\":null}}");
        assertThat(p.contentType()).isEqualTo("application/json");
    }

    @Test
    void sendsAnArrayBodyAsJson() throws Exception {
        WebhookPayload p = WebhookPayload.from(json("{\"url\":\"https://h.example/x\",\"body\":[1, \"two\"]}"));

        assertThat(new String(p.body(), StandardCharsets.UTF_8)).isEqualTo("[1,\"two\"]");
        assertThat(p.contentType()).isEqualTo("application/json");
    }

    @Test
    void letsAContentTypeHeaderOverrideTheDefault() throws Exception {
        WebhookPayload p = WebhookPayload.from(json(
                "{\"url\":\"https://h.example/x\",\"body\":{},\"headers\":{\"Content-TYPE\":\"application/cloudevents+json\",\"X-Foo\":\"1\"}}"));

        assertThat(p.contentType()).isEqualTo("application/cloudevents+json");
        assertThat(p.headers()).containsExactly(java.util.Map.entry("X-Foo", "1"));
    }

    @Test
    void givesTheHostWithoutIpv6Brackets() throws Exception {
        assertThat(WebhookPayload.from(json("{\"url\":\"http://[::1]:8080/\",\"body\":\"\"}")).host()).isEqualTo("::1");
        assertThat(WebhookPayload.from(json("{\"url\":\"http://h.example/\",\"body\":\"\"}")).host()).isEqualTo("h.example");
    }

    @Test
    void refusesToReadAnInvalidPayload() {
        assertThatThrownBy(() -> WebhookPayload.from(json("{\"url\":\"ftp://h.example/\",\"body\":1}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url")
                .hasMessageContaining("body");
    }

    @Test
    void neverPrintsTheBodyOrHeaderValues() throws Exception {
        WebhookPayload p = WebhookPayload.from(json(
                "{\"url\":\"https://h.example/x?token=s3cret\",\"body\":\"card 4111\",\"headers\":{\"Authorization\":\"Bearer s3cret\"}}"));

        assertThat(p.toString()).doesNotContain("s3cret").doesNotContain("4111").contains("h.example");
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
