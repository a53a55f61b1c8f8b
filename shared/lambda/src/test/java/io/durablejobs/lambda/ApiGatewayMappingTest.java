package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiGatewayMappingTest {
    @Test
    void payloadFormat2Event_mapsMethodPathQueryHeadersAndBase64Body() throws Exception {
        APIGatewayV2HTTPEvent e;
        try (InputStream in = getClass().getResourceAsStream("/events/apigw/post-job.json")) {
            e = JacksonFactory.getInstance().getSerializer(APIGatewayV2HTTPEvent.class).fromJson(in);
        }
        ApiRequest r = ApiGatewayMapping.toRequest(e);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/jobs");
        assertThat(r.query()).containsEntry("a", "1,2").containsEntry("b", "x y");
        assertThat(r.header("authorization")).isEqualTo("Bearer key-aaaaaaaaaaaaaaaa");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"test.flaky\",\"payload\":{}}");
        assertThat(r.requestId()).isEqualTo("JKJaXmPLvHcESHA=");
    }

    @Test
    void theFunctionsOwnJackson_readsTheEventAsTheRuntimesSerializerDoes() throws Exception {
        APIGatewayV2HTTPEvent runtime;
        APIGatewayV2HTTPEvent own;
        try (InputStream in = getClass().getResourceAsStream("/events/apigw/post-job.json")) {
            runtime = JacksonFactory.getInstance().getSerializer(APIGatewayV2HTTPEvent.class).fromJson(in);
        }
        try (InputStream in = getClass().getResourceAsStream("/events/apigw/post-job.json")) {
            own = ApiGatewayMapping.readEvent(in);
        }
        assertThat(own).isEqualTo(runtime);
        assertThat(own.getIsBase64Encoded()).isTrue();
        assertThat(own.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
    }

    @Test
    void theResponse_isWrittenInTheShapeApiGatewayReads() throws Exception {
        var out = ApiGatewayMapping.toResponse(new ApiResponse(404, Map.of("Content-Type", "application/problem+json"),
                "{\"title\":\"Not found\"}".getBytes(StandardCharsets.UTF_8)));
        var bytes = new java.io.ByteArrayOutputStream();
        ApiGatewayMapping.writeResponse(out, bytes);
        var json = io.durablejobs.core.json.Json.MAPPER.readTree(bytes.toByteArray());
        assertThat(json.get("statusCode").asInt()).isEqualTo(404);
        assertThat(json.get("isBase64Encoded").asBoolean()).isFalse();
        assertThat(json.get("headers").get("Content-Type").asText()).isEqualTo("application/problem+json");
        assertThat(json.get("body").asText()).isEqualTo("{\"title\":\"Not found\"}");
        assertThat(json.has("multiValueHeaders")).as("nulls are left out").isFalse();
    }

    @Test
    void rawQueryString_isParsedWhenNoParameterMapIsGiven() {
        assertThat(ApiGatewayMapping.parseQuery("a=1&a=2&c&d=%2F")).containsEntry("a", "1,2").containsEntry("c", "").containsEntry("d", "/");
    }

    @Test
    void response_carriesStatusHeadersAndJsonBody() {
        var out = ApiGatewayMapping.toResponse(new ApiResponse(202, Map.of("Location", "/v1/jobs/x"), "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(out.getStatusCode()).isEqualTo(202);
        assertThat(out.getHeaders()).containsEntry("Location", "/v1/jobs/x");
        assertThat(out.getBody()).isEqualTo("{\"a\":1}");
        assertThat(out.getIsBase64Encoded()).isFalse();
    }

    @Test
    void theStreamedRequest_isTheRequestTheBoundEventMapsTo() throws Exception {
        byte[] event;
        try (InputStream in = getClass().getResourceAsStream("/events/apigw/post-job.json")) {
            event = in.readAllBytes();
        }
        assertSameRequest(event);
        // no parameter map: the raw query string is parsed; a text body; headers in mixed case; unknown fields skipped
        String text = "{\"rawPath\":\"/v1/jobs/abc\",\"rawQueryString\":\"limit=5&x=%2F\",\"extra\":{\"a\":[1,{\"b\":2}]},"
                + "\"headers\":{\"Authorization\":\"Bearer k\",\"X-Num\":7},\"requestContext\":{\"requestId\":\"r-1\","
                + "\"authorizer\":{\"jwt\":{}},\"http\":{\"method\":\"GET\",\"path\":\"/v1/jobs/abc\"}},"
                + "\"body\":\"{\\\"a\\\":\\\"\u00e9\\\"}\",\"isBase64Encoded\":false}";
        assertSameRequest(text.getBytes(StandardCharsets.UTF_8));
        assertSameRequest("{\"rawPath\":\"/\",\"headers\":null,\"queryStringParameters\":null,\"body\":null}".getBytes(StandardCharsets.UTF_8));
        ApiRequest r = ApiGatewayMapping.readRequest(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.header("authorization")).isEqualTo("Bearer k");
        assertThat(r.query()).containsEntry("limit", "5").containsEntry("x", "/");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"\u00e9\"}");
    }

    @Test
    void whatTheBoundReaderRefuses_theStreamedReaderRefuses() {
        for (String bad : new String[] {"[]", "{\"rawPath\":\"/\"} {}", "{\"body\":{\"a\":1}}", "{\"headers\":[\"a\"]}", "{\"rawPath\":"}) {
            byte[] b = bad.getBytes(StandardCharsets.UTF_8);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiGatewayMapping.readEvent(new java.io.ByteArrayInputStream(b)))
                    .as("bound: " + bad).isInstanceOf(java.io.IOException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApiGatewayMapping.readRequest(new java.io.ByteArrayInputStream(b)))
                    .as("streamed: " + bad).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void theStreamedResponse_isTheJsonTheBoundResponseWrites() throws Exception {
        ApiResponse[] responses = {
            new ApiResponse(429, Map.of("Content-Type", "application/problem+json", "Retry-After", "1", "RateLimit", "\"tenant\";r=0;t=1"),
                    "{\"type\":\"/problems/rate-limited\",\"detail\":\"caf\u00e9 \\\"q\\\"\"}".getBytes(StandardCharsets.UTF_8)),
            new ApiResponse(200, Map.of("Content-Type", "image/png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff}),
            new ApiResponse(204, Map.of(), new byte[0])};
        for (ApiResponse r : responses) {
            var bound = new java.io.ByteArrayOutputStream();
            ApiGatewayMapping.writeResponse(ApiGatewayMapping.toResponse(r), bound);
            var streamed = new java.io.ByteArrayOutputStream();
            ApiGatewayMapping.writeResponse(r, streamed);
            assertThat(io.durablejobs.core.json.Json.MAPPER.readTree(streamed.toByteArray()))
                    .isEqualTo(io.durablejobs.core.json.Json.MAPPER.readTree(bound.toByteArray()));
        }
    }

    private static void assertSameRequest(byte[] event) throws Exception {
        ApiRequest bound = ApiGatewayMapping.toRequest(ApiGatewayMapping.readEvent(new java.io.ByteArrayInputStream(event)));
        ApiRequest streamed = ApiGatewayMapping.readRequest(new java.io.ByteArrayInputStream(event));
        assertThat(streamed.method()).isEqualTo(bound.method());
        assertThat(streamed.path()).isEqualTo(bound.path());
        assertThat(streamed.query()).isEqualTo(bound.query());
        assertThat(streamed.headers()).isEqualTo(bound.headers());
        assertThat(streamed.body()).isEqualTo(bound.body());
        assertThat(streamed.requestId()).isEqualTo(bound.requestId());
    }
}
