package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpHandler;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP front on its own, with a handler that echoes the body length (no broker, no function). */
class HttpFrontTest {
    private static final HttpHandler ECHO = ex -> {
        if (ex.getRequestURI().getPath().startsWith("/slow")) {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        byte[] out = (ex.getRequestMethod() + " " + ex.getRequestURI() + " " + body.length).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(200, out.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(out);
        }
    };
    private HttpFront front;

    private HttpFront start(long bodyBudget) throws Exception {
        HttpLimits limits = new HttpLimits(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30), 100, 50, bodyBudget);
        front = HttpFront.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), limits, Map.of("/", ECHO));
        return front;
    }

    @AfterEach
    void stop() {
        if (front != null) {
            front.close();
        }
    }

    @Test
    void requestsOnOneConnection_areAnsweredInOrder_withLowerCaseHeaders() throws Exception {
        start(1 << 20);
        try (Socket s = RawHttp.open(front.port())) {
            RawHttp.send(s, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String both = RawHttp.readUntilClosed(s);
            assertThat(both.indexOf("POST /a 3")).isPositive().isLessThan(both.indexOf("GET /b 0"));
            assertThat(both).contains("\r\ncontent-type: text/plain\r\n");
        }
    }

    @Test
    void aRequestPipelinedBehindASlowOne_waitsForIt_andTheBodiesItHeldAreFreedAfter() throws Exception {
        start(1 << 20);
        try (Socket s = RawHttp.open(front.port())) {
            // Three requests in one write: the first takes 300 ms to answer; the others must not overtake it.
            RawHttp.send(s, "POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde"
                    + "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nab"
                    + "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            String all = RawHttp.readUntilClosed(s);
            assertThat(all.indexOf("POST /slow 5")).as(all).isPositive().isLessThan(all.indexOf("POST /b 2"));
            assertThat(all.indexOf("POST /b 2")).as(all).isLessThan(all.indexOf("GET /c 0"));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> front.bodyBytesFree() == 1 << 20);
        // A connection that waits for each answer is served over and over, and holds no room between requests.
        try (Socket s = RawHttp.open(front.port())) {
            for (int i = 0; i < 3; i++) {
                RawHttp.send(s, "POST /d HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nxyz");
                StringBuilder answer = new StringBuilder();
                byte[] buf = new byte[4096];
                while (!answer.toString().contains("POST /d 3")) {
                    int n = s.getInputStream().read(buf);
                    assertThat(n).as("answer so far: %s", answer).isPositive();
                    answer.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> front.bodyBytesFree() == 1 << 20);
        }
    }

    @Test
    void bodiesBeyondTheBytesTheFrontHoldsAtOnce_areA503Problem_untilRoomIsFreed() throws Exception {
        start(1000);
        try (Socket first = RawHttp.open(front.port())) {
            // Holds 800 of the 1000 bytes while its body is still arriving.
            RawHttp.send(first, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 800\r\n\r\nabc");
            // On a loaded machine the front may read those headers late: wait for the claim, not a fixed time.
            await().atMost(Duration.ofSeconds(5)).until(() -> front.bodyBytesFree() == 200);
            String second = RawHttp.exchange(front.port(), "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 800\r\n\r\n" + "x".repeat(800));
            assertThat(RawHttp.status(second)).as(second).isEqualTo(503);
            assertThat(RawHttp.header(second, "Content-Type")).isEqualTo("application/problem+json");
            assertThat(RawHttp.header(second, "Retry-After")).isEqualTo("1");
            assertThat(RawHttp.exchange(front.port(), "POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nConnection: close\r\n\r\n"
                    + "x".repeat(100))).contains("POST /c 100");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> front.bodyBytesFree() == 1000);
        assertThat(RawHttp.exchange(front.port(), "POST /d HTTP/1.1\r\nHost: x\r\nContent-Length: 800\r\nConnection: close\r\n\r\n"
                + "x".repeat(800))).as("room is freed when a connection closes").contains("POST /d 800");
    }
}
