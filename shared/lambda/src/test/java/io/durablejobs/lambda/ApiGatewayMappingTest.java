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
}
