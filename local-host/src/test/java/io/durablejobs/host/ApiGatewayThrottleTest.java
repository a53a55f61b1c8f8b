package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablejobs.host.handlers.EchoHttpHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * API Gateway's refusals in front of the function, through the HTTP front: a route over its stage throttle
 * and a request past the function's concurrency are answered at once and never reach (or wait for) a handler.
 */
class ApiGatewayThrottleTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HttpFront front;
    private EnvironmentPool pool;

    private void start(int concurrency, StageThrottle throttle) throws Exception {
        FunctionSpec t = TestTables.spec("api");
        // A long timeout: the held invocation must stay busy however slow the machine is.
        FunctionSpec spec = new FunctionSpec(t.name(), t.handlerClass(), t.handlerMethod(), t.trigger(), t.memoryMb(), 60,
                t.batchSize(), t.batchWindowMs(), t.concurrency(), t.environment());
        FunctionRuntime f = new FunctionRuntime(spec,
                HandlerMethod.resolve(spec.handlerClass(), spec.handlerMethod(), getClass().getClassLoader()),
                FunctionEnvironment.of(Map.of("JOBS_NAMESPACE", "unit"), spec));
        pool = new EnvironmentPool(f, concurrency);
        front = HttpFront.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), HttpLimits.DEFAULTS,
                Map.of("/", new ApiGatewayEmulator(ApiRoutes.of(List.of(spec), s -> new ApiGatewayEmulator.Integration(f, pool)), null, 0, throttle)));
    }

    @AfterEach
    void stop() {
        EchoHttpHandler.HOLD.countDown();
        if (front != null) {
            front.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + path))
                .method(method, HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long invocations(String path) {
        return EchoHttpHandler.EVENTS.stream().filter(e -> e.getRawPath().equals(path)).count();
    }

    @Test
    void aRouteOverItsStageThrottle_is429_beforeTheFunctionIsInvoked() throws Exception {
        // Almost no refill: the burst of 2 is all this route gets during the test, however slow the machine.
        start(4, StageThrottle.fromPlatform(new ObjectMapper().readTree("""
                {"api": {"defaultRateLimit": 1000, "defaultBurstLimit": 1000, "routes": [
                  {"method": "POST", "path": "/v1/dlq/replay", "rateLimit": 0.001, "burstLimit": 2}]}}"""), System::nanoTime));
        long before = invocations("/v1/dlq/replay");
        int ok = 0;
        int throttled = 0;
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = send("POST", "/v1/dlq/replay");
            if (r.statusCode() == 200) {
                ok++;
            } else {
                assertThat(r.statusCode()).isEqualTo(429);
                assertThat(r.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
                assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
                throttled++;
            }
        }
        assertThat(ok).isEqualTo(2);
        assertThat(throttled).isEqualTo(6);
        assertThat(invocations("/v1/dlq/replay") - before).as("throttled requests never reach the function").isEqualTo(2);
        assertThat(send("GET", "/other").statusCode()).as("other routes keep their own bucket").isEqualTo(200);
    }

    @Test
    void pastItsConcurrency_aRequestIsRefusedAtOnce_notQueued() throws Exception {
        start(1, StageThrottle.OFF);
        EchoHttpHandler.HOLD = new CountDownLatch(1);
        long before = invocations("/hold");
        CompletableFuture<HttpResponse<String>> held = HTTP.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.port() + "/hold")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(20)).until(() -> invocations("/hold") > before);
        // The one environment is busy until HOLD opens: the next request must not wait for it.
        HttpResponse<String> refused = send("GET", "/other");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).isEqualTo("{\"message\":\"Too Many Requests\"}");
        assertThat(held).as("answered while the environment was still busy").isNotDone();
        EchoHttpHandler.HOLD.countDown();
        assertThat(held.get().statusCode()).isEqualTo(200);
        assertThat(send("GET", "/other").statusCode()).as("the environment is free again").isEqualTo(200);
    }
}
