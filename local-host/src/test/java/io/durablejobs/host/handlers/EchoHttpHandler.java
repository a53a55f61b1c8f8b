package io.durablejobs.host.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test http function: records the event it got and answers by path. {@code /throw} throws,
 * {@code /sleep} outlives its timeout, {@code /slow} takes 800 ms, {@code /binary} answers base64,
 * {@code /raw} answers without a statusCode, {@code /hold} waits until {@link #HOLD} is opened (at most 30 s),
 * anything else 200 with the request body echoed.
 */
public class EchoHttpHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final ConcurrentLinkedDeque<APIGatewayV2HTTPEvent> EVENTS = new ConcurrentLinkedDeque<>();
    public static final AtomicInteger CONSTRUCTED = new AtomicInteger();
    public static volatile java.util.concurrent.CountDownLatch HOLD = new java.util.concurrent.CountDownLatch(0);

    public EchoHttpHandler() {
        CONSTRUCTED.incrementAndGet();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        EVENTS.add(event);
        String path = event.getRawPath();
        switch (path) {
            case "/throw" -> throw new IllegalStateException("boom");
            case "/sleep" -> sleep(context.getRemainingTimeInMillis() + 2000L);
            case "/slow" -> sleep(800);
            case "/hold" -> {
                try {
                    HOLD.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            default -> {
            }
        }
        APIGatewayV2HTTPResponse r = new APIGatewayV2HTTPResponse();
        if (path.equals("/binary")) {
            r.setStatusCode(200);
            r.setHeaders(Map.of("Content-Type", "application/octet-stream"));
            r.setBody("AAEC/w==");
            r.setIsBase64Encoded(true);
            return r;
        }
        r.setStatusCode(path.equals("/created") ? 201 : 200);
        r.setHeaders(Map.of("Content-Type", "text/plain", "X-Function", context.getFunctionName(),
                "X-Pid", Long.toString(ProcessHandle.current().pid())));
        r.setMultiValueHeaders(Map.of("X-Multi", List.of("a", "b")));
        r.setCookies(List.of("s=1; Path=/"));
        r.setBody(event.getBody() == null ? "" : event.getBody());
        r.setIsBase64Encoded(event.getIsBase64Encoded());
        return r;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
