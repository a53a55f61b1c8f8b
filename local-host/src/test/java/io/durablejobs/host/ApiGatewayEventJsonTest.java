package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiGatewayEventJsonTest {

    private static ApiGatewayRequest request(String contentType, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("127.0.0.1:8080"));
        headers.put("User-Agent", List.of("curl/8"));
        headers.put("X-Repeat", List.of("a", "b"));
        headers.put("Cookie", List.of("k1=v1; k2=v2"));
        if (contentType != null) {
            headers.put("Content-Type", List.of(contentType));
        }
        return new ApiGatewayRequest("POST", "/v1/jobs", "a=1&a=2&b=x%20y&flag", "HTTP/1.1", headers, body,
                new InetSocketAddress("127.0.0.1", 50000), 8080, Instant.parse("2020-03-12T19:03:58.390Z"));
    }

    @Test
    void event_hasPayloadFormat2Fields_andParsesWithTheRuntimeSerializer() {
        ObjectNode json = ApiGatewayEventJson.build(request("application/json", "{\"x\":1}".getBytes(StandardCharsets.UTF_8)), "rid", "Root=1-x");
        APIGatewayV2HTTPEvent e = RuntimeSerializers.forClass(APIGatewayV2HTTPEvent.class).fromJson(json.toString());

        assertThat(json.has("pathParameters")).isFalse();
        assertThat(e.getVersion()).isEqualTo("2.0");
        assertThat(e.getRouteKey()).isEqualTo("$default");
        assertThat(e.getRawPath()).isEqualTo("/v1/jobs");
        assertThat(e.getRawQueryString()).isEqualTo("a=1&a=2&b=x%20y&flag");
        assertThat(e.getQueryStringParameters()).containsExactly(Map.entry("a", "1,2"), Map.entry("b", "x y"), Map.entry("flag", ""));
        assertThat(e.getCookies()).containsExactly("k1=v1", "k2=v2");
        assertThat(e.getHeaders()).containsEntry("x-repeat", "a,b").containsEntry("user-agent", "curl/8")
                .containsEntry("content-type", "application/json").doesNotContainKey("cookie").doesNotContainKey("Host");
        assertThat(e.getBody()).isEqualTo("{\"x\":1}");
        assertThat(e.getIsBase64Encoded()).isFalse();
        APIGatewayV2HTTPEvent.RequestContext c = e.getRequestContext();
        assertThat(c.getStage()).isEqualTo("$default");
        assertThat(c.getRouteKey()).isEqualTo("$default");
        assertThat(c.getRequestId()).isEqualTo("rid");
        assertThat(c.getAccountId()).isEqualTo("000000000000");
        assertThat(c.getDomainName()).isEqualTo("127.0.0.1");
        assertThat(c.getTime()).isEqualTo("12/Mar/2020:19:03:58 +0000");
        assertThat(c.getTimeEpoch()).isEqualTo(1584039838390L);
        assertThat(c.getHttp().getMethod()).isEqualTo("POST");
        assertThat(c.getHttp().getPath()).isEqualTo("/v1/jobs");
        assertThat(c.getHttp().getProtocol()).isEqualTo("HTTP/1.1");
        assertThat(c.getHttp().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(c.getHttp().getUserAgent()).isEqualTo("curl/8");
    }

    @Test
    void binaryBody_isBase64Encoded() {
        byte[] body = {0, 1, 2, (byte) 0xff};
        ObjectNode json = ApiGatewayEventJson.build(request("image/png", body), "rid", "t");
        APIGatewayV2HTTPEvent e = RuntimeSerializers.forClass(APIGatewayV2HTTPEvent.class).fromJson(json.toString());

        assertThat(e.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(e.getBody())).isEqualTo(body);
    }

    @Test
    void aJsonBodyThatIsNotValidUtf8_keepsItsBytes_base64Encoded() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, '(', '"', '}'};
        ObjectNode json = ApiGatewayEventJson.build(request("application/json", body), "rid", "t");
        APIGatewayV2HTTPEvent e = RuntimeSerializers.forClass(APIGatewayV2HTTPEvent.class).fromJson(json.toString());

        assertThat(e.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(e.getBody())).isEqualTo(body);
    }

    @Test
    void textTypes_areText_othersBase64() {
        assertThat(ApiGatewayEventJson.isText("application/json; charset=utf-8")).isTrue();
        assertThat(ApiGatewayEventJson.isText("application/problem+json")).isTrue();
        assertThat(ApiGatewayEventJson.isText("text/plain")).isTrue();
        assertThat(ApiGatewayEventJson.isText("application/x-www-form-urlencoded")).isFalse();
        assertThat(ApiGatewayEventJson.isText(null)).isFalse();
    }

    @Test
    void emptyBody_hasNoBody() {
        ObjectNode json = ApiGatewayEventJson.build(request(null, new byte[0]), "rid", "t");
        assertThat(json.has("body")).isFalse();
        assertThat(json.get("isBase64Encoded").asBoolean()).isFalse();
    }

    @Test
    void time_isTheRequestsSecond_evenWhenTheLastSecondsTextIsReused() {
        assertThat(ApiGatewayEventJson.time(Instant.parse("2020-03-12T19:03:58.390Z"))).isEqualTo("12/Mar/2020:19:03:58 +0000");
        assertThat(ApiGatewayEventJson.time(Instant.parse("2020-03-12T19:03:58.999Z"))).isEqualTo("12/Mar/2020:19:03:58 +0000");
        assertThat(ApiGatewayEventJson.time(Instant.parse("2020-03-12T19:03:59.000Z"))).isEqualTo("12/Mar/2020:19:03:59 +0000");
        assertThat(ApiGatewayEventJson.time(Instant.parse("2021-01-02T03:04:05Z"))).isEqualTo("02/Jan/2021:03:04:05 +0000");
    }
}
