package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.durablejobs.host.handlers.EchoHttpHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalHostApiIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static LocalHost host;

    @BeforeAll
    static void start() throws Exception {
        host = LocalHost.start(ItSupport.options(ItSupport.namespace(), "api"));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
            ItSupport.deleteTopology(host.topology());
        }
    }

    private static URI uri(LocalHost h, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + h.port() + pathAndQuery);
    }

    private static HttpResponse<byte[]> send(HttpRequest r) throws Exception {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void request_reachesTheHandlerAsApiGatewayBuildsIt_andTheResponseComesBack() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(host, "/v1/jobs?a=1&a=2&q=x%20y"))
                .header("X-Repeat", "one").header("X-Repeat", "two").header("Cookie", "c1=v1; c2=v2")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"t\"}")).build());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("{\"type\":\"t\"}");
        assertThat(r.headers().firstValue("x-function")).hasValue("api");
        assertThat(r.headers().allValues("x-multi")).containsExactly("a", "b");
        assertThat(r.headers().allValues("set-cookie")).containsExactly("s=1; Path=/");
        assertThat(r.headers().firstValue("apigw-requestid")).isPresent();

        APIGatewayV2HTTPEvent e = EchoHttpHandler.EVENTS.getLast();
        assertThat(e.getRequestContext().getHttp().getMethod()).isEqualTo("POST");
        assertThat(e.getRawPath()).isEqualTo("/v1/jobs");
        assertThat(e.getRawQueryString()).isEqualTo("a=1&a=2&q=x%20y");
        assertThat(e.getQueryStringParameters()).containsEntry("a", "1,2").containsEntry("q", "x y");
        assertThat(e.getHeaders()).containsEntry("x-repeat", "one,two").containsEntry("content-type", "application/json");
        assertThat(e.getCookies()).containsExactly("c1=v1", "c2=v2");
        assertThat(e.getIsBase64Encoded()).isFalse();
        assertThat(e.getRequestContext().getRequestId()).isEqualTo(r.headers().firstValue("apigw-requestid").orElseThrow());
        assertThat(e.getPathParameters()).isNull();
    }

    @Test
    void binaryBody_travelsBase64_bothWays() throws Exception {
        byte[] body = {0, 1, 2, (byte) 0xff, (byte) 0x80};
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(host, "/upload")).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        assertThat(EchoHttpHandler.EVENTS.getLast().getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(EchoHttpHandler.EVENTS.getLast().getBody())).isEqualTo(body);
        assertThat(r.body()).isEqualTo(body);

        HttpResponse<byte[]> bin = send(HttpRequest.newBuilder(uri(host, "/binary")).GET().build());
        assertThat(bin.body()).isEqualTo(new byte[] {0, 1, 2, (byte) 0xff});
        assertThat(bin.headers().firstValue("content-type")).hasValue("application/octet-stream");
    }

    @Test
    void bodyOver10MB_is413_withoutInvoking() throws Exception {
        int before = EchoHttpHandler.EVENTS.size();
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(host, "/big")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10 * 1024 * 1024 + 1])).build());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(text(r)).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
        assertThat(EchoHttpHandler.EVENTS.size()).isEqualTo(before);
    }

    @Test
    void handlerException_is500() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(host, "/throw")).GET().build());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(text(r)).isEqualTo("{\"message\":\"Internal Server Error\"}");
    }

    @Test
    void handlerPastItsTimeout_is503_andTheNextRequestGetsAFreshInstance() throws Exception {
        int constructed = EchoHttpHandler.CONSTRUCTED.get();
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(host, "/sleep")).GET().build());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(text(r)).isEqualTo("{\"message\":\"Service Unavailable\"}");

        assertThat(send(HttpRequest.newBuilder(uri(host, "/ok")).GET().build()).statusCode()).isEqualTo(200);
        assertThat(EchoHttpHandler.CONSTRUCTED.get()).isGreaterThan(constructed);
    }

    @Test
    void healthz_isOk_whenBrokerAndRedisAnswer_andDashboardIsReserved() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(host, "/healthz")).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo("{\"status\":\"ok\",\"broker\":\"up\",\"redis\":\"up\"}");

        // The host serves /dashboard itself (never the function).
        HttpResponse<byte[]> dash = send(HttpRequest.newBuilder(uri(host, "/dashboard")).GET().build());
        assertThat(dash.statusCode()).isEqualTo(200);
        assertThat(dash.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(EchoHttpHandler.EVENTS).noneMatch(e -> e.getRawPath().startsWith("/dashboard"));
    }

    @Test
    void openApiJson_isServedWithoutAuth_andIsTheRepositorysDescription() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(host, "/openapi.json")).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(text(r)).isEqualTo(io.durablejobs.contract.OpenApiContract.load().text());
        assertThat(text(r)).startsWith("{").contains("\"openapi\": \"3.1.0\"");
        assertThat(send(HttpRequest.newBuilder(uri(host, "/openapi.json")).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
                .isEqualTo(405);
        assertThat(EchoHttpHandler.EVENTS).noneMatch(e -> e.getRawPath().equals("/openapi.json"));
    }

    @Test
    void healthz_is503NamingRedis_whenRedisIsDown_andBusyEnvironmentsThrottle() throws Exception {
        HostOptions options = ItSupport.options(host.namespace(), "api")
                .withEnv("JOBS_REDIS_URI", "redis://127.0.0.1:" + ItSupport.closedPort())
                .withEnv("JOBS_HOST_API_CONCURRENCY", "1")
                .withEnv("JOBS_HOST_THROTTLE_WAIT_MS", "100");
        try (LocalHost down = LocalHost.start(options)) {
            HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri(down, "/healthz")).GET().build());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
            assertThat(text(r)).contains("\"redis\":\"down\"").contains("\"broker\":\"up\"").contains("Redis is not reachable");

            List<CompletableFuture<HttpResponse<byte[]>>> two = List.of(
                    HTTP.sendAsync(HttpRequest.newBuilder(uri(down, "/slow")).GET().build(), HttpResponse.BodyHandlers.ofByteArray()),
                    HTTP.sendAsync(HttpRequest.newBuilder(uri(down, "/slow")).GET().build(), HttpResponse.BodyHandlers.ofByteArray()));
            List<Integer> codes = two.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).sorted().toList();
            assertThat(codes).containsExactly(200, 429);
        }
    }
}
