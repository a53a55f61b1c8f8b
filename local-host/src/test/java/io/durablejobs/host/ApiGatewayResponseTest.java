package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiGatewayResponseTest {
    @Test
    void everyResult_isReadAsTheTreeReadsIt() throws Exception {
        String[] results = {
            "{\"statusCode\":429,\"headers\":{\"Content-Type\":\"application/problem+json\",\"Retry-After\":\"1\"},"
                    + "\"body\":\"{\\\"type\\\":\\\"/problems/rate-limited\\\"}\",\"isBase64Encoded\":false}",
            "{\"isBase64Encoded\":true,\"body\":\"iVBORw0K\",\"statusCode\":200,\"headers\":{\"content-type\":\"image/png\"}}",
            "{\"statusCode\":204,\"headers\":{},\"body\":null,\"unknown\":{\"a\":[1,2]}}",
            "{\"statusCode\":201,\"multiValueHeaders\":{\"X-A\":[\"1\",\"2\"]},\"cookies\":[\"a=b\"],\"body\":\"ok\"}",
            "{\"statusCode\":\"202\",\"body\":\"text status\"}",
            "{\"statusCode\":200,\"headers\":{\"X-Num\":5},\"body\":{\"an\":\"object\"}}",
            "{\"statusCode\":200,\"statusCode\":404,\"body\":\"repeated\"}",
            "{\"statusCode\":200,\"isBase64Encoded\":\"true\",\"body\":\"aGk=\"}",
            "{\"statusCode\":1e2}",
            "{\"no\":\"status\"}",
            "[1,2]",
            "\"just a string\""};
        for (String r : results) {
            byte[] json = r.getBytes(StandardCharsets.UTF_8);
            ApiGatewayResponse read = ApiGatewayResponse.fromFunctionResult(json);
            ApiGatewayResponse tree = ApiGatewayResponse.fromTree(json);
            assertThat(read.status()).as(r).isEqualTo(tree.status());
            assertThat(read.headers()).as(r).isEqualTo(tree.headers());
            assertThat(read.body()).as(r).isEqualTo(tree.body());
        }
    }

    @Test
    void aResultThatIsNotJson_isRefused() {
        assertThatThrownBy(() -> ApiGatewayResponse.fromFunctionResult("{\"statusCode\":200,\"body\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }
}
