package io.durablejobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The submit-time rules, through the type's public {@code validate}, as the submit function calls it. */
class WebhookPayloadValidationTest {
    private final WebhookDeliverType type = new WebhookDeliverType();

    @Test
    void acceptsAMinimalPayload() {
        assertThat(type.validate(payload("https://hooks.example/in", "hello"))).isEmpty();
    }

    @Test
    void acceptsAFullPayload() {
        ObjectNode p = payload("http://hooks.example:8443/in?x=1", null);
        p.putObject("body").put("event", "paid");
        p.putObject("headers").put("X-Tenant-Event", "paid").put("Authorization", "Bearer abc").put("content-type", "application/json");
        assertThat(type.validate(p)).isEmpty();
    }

    @Test
    void requiresAnObject() {
        assertThat(type.validate(Json.MAPPER.getNodeFactory().textNode("x")))
                .containsExactly(new FieldError("payload", "must be a JSON object"));
    }

    @Test
    void requiresUrlAndBody() {
        assertThat(fields(type.validate(Json.MAPPER.createObjectNode()))).containsExactlyInAnyOrder("url", "body");
    }

    @Test
    void refusesUnknownFields() {
        ObjectNode p = payload("https://hooks.example/", "x");
        p.put("method", "PUT");
        assertThat(type.validate(p)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("method");
            assertThat(e.message()).contains("unknown field");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "hooks.example/in", "/relative", "ftp://hooks.example/", "file:///etc/passwd", "mailto:a@b.example",
        "https://user:pass@hooks.example/", "https://token@hooks.example/", "https://hooks.example/#frag",
        "https://hooks.example/in#", "http://", "https:///path", "http://hooks example/", "http://hooks.example:0/",
        "http://hooks.example:70000/", "http://[::1/", "javascript:alert(1)", "http://under_score.example/"})
    void refusesBadUrls(String url) {
        assertThat(type.validate(payload(url, "x"))).as(url).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://0x7f000001/", "http://127.1/", "http://127.0.1:8080/",
        "https://2130706433/", "http://127.0.0.1./", "http://010.0.0.1/"})
    void refusesIpv4AddressesThatClientsReadDifferently(String url) {
        assertThat(type.validate(payload(url, "x"))).as(url).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("url"));
    }

    @Test
    void refusesUrlsOver2048Characters() {
        String base = "https://hooks.example/";
        assertThat(type.validate(payload(base + "a".repeat(2048 - base.length()), "x"))).isEmpty();
        assertThat(fields(type.validate(payload(base + "a".repeat(2049 - base.length()), "x")))).containsExactly("url");
    }

    @Test
    void refusesANonStringUrl() {
        ObjectNode p = payload(null, "x");
        p.put("url", 42);
        assertThat(fields(type.validate(p))).containsExactly("url");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP://HOOKS.EXAMPLE/", "http://127.0.0.1:8080/hook", "https://[2606:4700::1111]/x"})
    void acceptsAbsoluteHttpUrlsOfAnyCaseAndIpLiterals(String url) {
        assertThat(type.validate(payload(url, "x"))).as(url).isEmpty();
    }

    @Test
    void refusesBodiesThatAreNotStringsObjectsOrArrays() {
        for (JsonNode body : List.of(Json.MAPPER.getNodeFactory().numberNode(1), Json.MAPPER.getNodeFactory().booleanNode(true),
                Json.MAPPER.getNodeFactory().nullNode())) {
            ObjectNode p = payload("https://hooks.example/", null);
            p.set("body", body);
            assertThat(fields(type.validate(p))).as(body.toString()).containsExactly("body");
        }
    }

    @Test
    void acceptsAnEmptyStringBody() {
        assertThat(type.validate(payload("https://hooks.example/", ""))).isEmpty();
    }

    @Test
    void refusesHeadersThatAreNotAnObject() {
        ObjectNode p = payload("https://hooks.example/", "x");
        p.putArray("headers").add("X-Foo: 1");
        assertThat(fields(type.validate(p))).containsExactly("headers");
    }

    @Test
    void refusesMoreThan20Headers() {
        ObjectNode ok = payload("https://hooks.example/", "x");
        ObjectNode headers = ok.putObject("headers");
        for (int i = 0; i < 20; i++) {
            headers.put("X-H" + i, "v");
        }
        assertThat(type.validate(ok)).isEmpty();
        headers.put("X-H20", "v");
        assertThat(fields(type.validate(ok))).containsExactly("headers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X Foo", "X-Foo:", "X(Foo)", "", "X\u00e9", "X\r\nEvil", "X/Foo", "X@Foo"})
    void refusesHeaderNamesThatAreNotTokens(String name) {
        ObjectNode p = payload("https://hooks.example/", "x");
        p.putObject("headers").put(name, "v");
        assertThat(type.validate(p)).as(name).singleElement()
                .satisfies(e -> assertThat(e.field()).startsWith("headers."));
    }

    @Test
    void acceptsEveryTokenCharacterInHeaderNames() {
        ObjectNode p = payload("https://hooks.example/", "x");
        p.putObject("headers").put("X-!#$%&'*+.^_`|~09az", "v");
        assertThat(type.validate(p)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Host", "content-length", "Transfer-Encoding", "CONNECTION", "te", "Upgrade", "Keep-Alive",
        "Proxy-Authorization", "proxy-connection", "webhook-id", "Webhook-Timestamp", "webhook-signature"})
    void refusesHeaderNamesThePlatformOwnsOrThatBreakHttp(String name) {
        ObjectNode p = payload("https://hooks.example/", "x");
        p.putObject("headers").put(name, "v");
        assertThat(type.validate(p)).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("headers." + name);
            assertThat(e.message()).containsAnyOf("platform", "framing");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Evil: 1", "a\nb", "a\rb", "a\u0000b", "a\u0001b", "emoji \ud83d\ude00"})
    void refusesHeaderValuesThatBreakTheHeaderLine(String value) {
        ObjectNode p = payload("https://hooks.example/", "x");
        p.putObject("headers").put("X-Foo", value);
        assertThat(type.validate(p)).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("headers.X-Foo"));
    }

    @Test
    void refusesHeaderValuesOver1024Characters() {
        ObjectNode p = payload("https://hooks.example/", "x");
        p.putObject("headers").put("X-Ok", "v".repeat(1024)).put("X-Long", "v".repeat(1025));
        assertThat(fields(type.validate(p))).containsExactly("headers.X-Long");
    }

    @Test
    void refusesNonStringHeaderValues() {
        ObjectNode p = payload("https://hooks.example/", "x");
        p.putObject("headers").put("X-Count", 3);
        assertThat(fields(type.validate(p))).containsExactly("headers.X-Count");
    }

    @Test
    void refusesTheSameHeaderTwiceInAnyCase() {
        ObjectNode p = payload("https://hooks.example/", "x");
        p.putObject("headers").put("X-Foo", "1").put("x-foo", "2");
        assertThat(fields(type.validate(p))).containsExactly("headers.x-foo");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ObjectNode p = payload("ftp://hooks.example/", null);
        p.put("body", 1);
        p.put("extra", true);
        p.putObject("headers").put("Host", "evil.example");
        assertThat(fields(type.validate(p))).containsExactlyInAnyOrder("url", "body", "extra", "headers.Host");
    }

    private static ObjectNode payload(String url, String body) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        if (url != null) {
            p.put("url", url);
        }
        if (body != null) {
            p.put("body", body);
        }
        return p;
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }
}
