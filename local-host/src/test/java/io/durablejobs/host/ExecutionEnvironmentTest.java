package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.host.handlers.EchoHttpHandler;
import io.durablejobs.host.handlers.RecordingRabbitHandler;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionEnvironmentTest {

    private static FunctionRuntime runtime(String name) {
        FunctionSpec spec = TestTables.spec(name);
        return new FunctionRuntime(spec, HandlerMethod.resolve(spec.handlerClass(), spec.handlerMethod(), ExecutionEnvironmentTest.class.getClassLoader()),
                FunctionEnvironment.of(Map.of("JOBS_NAMESPACE", "unit"), spec));
    }

    private static byte[] httpEvent(String path) {
        return ("{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"" + path + "\",\"rawQueryString\":\"\","
                + "\"headers\":{},\"requestContext\":{\"http\":{\"method\":\"GET\",\"path\":\"" + path + "\"}},\"isBase64Encoded\":false}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void handler_isConstructedOncePerEnvironment_withTheFunctionsVariables() {
        FunctionRuntime f = runtime("recorder");
        int before = RecordingRabbitHandler.CONSTRUCTED.get();
        try (ExecutionEnvironment env = f.newEnvironment()) {
            byte[] event = "{\"eventSource\":\"aws:rmq\",\"rmqMessagesByQueue\":{}}".getBytes(StandardCharsets.UTF_8);
            assertThat(env.invoke(event)).isInstanceOf(InvocationResult.Returned.class);
            assertThat(env.invoke(event)).isInstanceOf(InvocationResult.Returned.class);
        }
        assertThat(RecordingRabbitHandler.CONSTRUCTED.get() - before).isEqualTo(1);
        assertThat(RecordingRabbitHandler.NAME_AT_INIT.get()).isEqualTo("recorder");
    }

    @Test
    void handlerError_isAFailedInvocation_andTheEnvironmentLives() {
        try (ExecutionEnvironment env = runtime("api").newEnvironment()) {
            InvocationResult r = env.invoke(httpEvent("/throw"));
            assertThat(r).isInstanceOf(InvocationResult.Failed.class);
            assertThat(((InvocationResult.Failed) r).error()).hasMessage("boom");
            assertThat(env.isAlive()).isTrue();
        }
    }

    @Test
    void timeout_destroysTheEnvironment() {
        ExecutionEnvironment env = runtime("api").newEnvironment();
        long start = System.nanoTime();
        InvocationResult r = env.invoke(httpEvent("/sleep"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(r).isInstanceOf(InvocationResult.TimedOut.class);
        assertThat(tookMs).isBetween(1900L, 3500L);
        assertThat(env.isAlive()).isFalse();
    }

    @Test
    void result_isSerializedWithTheRuntimeSerializer() {
        int before = EchoHttpHandler.CONSTRUCTED.get();
        try (ExecutionEnvironment env = runtime("api").newEnvironment()) {
            InvocationResult r = env.invoke(httpEvent("/created"));
            String json = new String(((InvocationResult.Returned) r).json(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"statusCode\":201").contains("\"X-Function\":\"api\"");
        }
        assertThat(EchoHttpHandler.CONSTRUCTED.get() - before).isEqualTo(1);
    }

    @Test
    void context_countsDownFromTheTimeout() throws Exception {
        FunctionSpec spec = TestTables.spec("api");
        HostContext c = new HostContext(spec, "r", System.nanoTime() + 2_000_000_000L, new Slf4jLambdaLogger("api"), null);
        int first = c.getRemainingTimeInMillis();
        Thread.sleep(50);
        assertThat(first).isBetween(1900, 2000);
        assertThat(c.getRemainingTimeInMillis()).isLessThan(first);
        assertThat(c.getInvokedFunctionArn()).isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:api");
        assertThat(c.getMemoryLimitInMB()).isEqualTo(256);
    }
}
