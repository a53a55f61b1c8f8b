package io.durablejobs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retry rules against a scripted server (no broker needed): what is retried, with which key, for how long. */
class JobsClientRetryTest {
    record Answer(int status, Map<String, String> headers, String body) {
    }

    final LinkedBlockingDeque<Answer> script = new LinkedBlockingDeque<>();
    final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    HttpServer server;

    static final String ACCEPTED = "{\"jobId\":\"j1\",\"type\":\"t\",\"status\":\"queued\",\"createdAt\":\"2026-01-01T00:00:00Z\"}";

    static Answer problem(int status, String slug, String retryAfter) {
        Map<String, String> h = retryAfter == null ? Map.of("Content-Type", "application/problem+json")
                : Map.of("Content-Type", "application/problem+json", "Retry-After", retryAfter);
        return new Answer(status, h, "{\"type\":\"/problems/" + slug + "\",\"title\":\"T\",\"status\":" + status + ",\"detail\":\"d\"}");
    }

    JobsClient client(RetryPolicy policy) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            requests.add(Map.copyOf(ex.getRequestHeaders()));
            Answer a = script.isEmpty() ? new Answer(500, Map.of(), "{}") : script.poll();
            a.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return JobsClient.builder().baseUrl(URI.create("http://127.0.0.1:" + server.getAddress().getPort())).apiKey("k")
                .retryPolicy(policy).sleeper(waits::add).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    String keyOf(int request) {
        return requests.get(request).get("Idempotency-key").get(0);
    }

    @Test
    void unavailableTwice_thenAccepted_retriesWithTheSameKey_waitingRetryAfter() throws Exception {
        JobsClient c = client(RetryPolicy.DEFAULT);
        script.add(problem(503, "unavailable", "1"));
        script.add(problem(429, "rate-limited", "2"));
        script.add(new Answer(202, Map.of("Content-Type", "application/json"), ACCEPTED));

        JobAccepted a = c.submit("t", Map.of("a", 1));

        assertThat(a.jobId()).isEqualTo("j1");
        assertThat(requests).hasSize(3);
        assertThat(keyOf(0)).isEqualTo(a.idempotencyKey()).isEqualTo(keyOf(1)).isEqualTo(keyOf(2));
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void keyStillInUse_409_isRetried_butAJobThatIsNotDead_409_isNot() throws Exception {
        JobsClient c = client(RetryPolicy.DEFAULT);
        script.add(problem(409, "idempotency-key-in-use", "1"));
        script.add(new Answer(202, Map.of("Content-Type", "application/json"), ACCEPTED));
        assertThat(c.submit("t", Map.of()).jobId()).isEqualTo("j1");

        script.add(problem(409, "not-dead-lettered", null));
        assertThatThrownBy(() -> c.replay("j1")).isInstanceOf(ProblemException.ConflictException.class);
        assertThat(requests).hasSize(3);
    }

    @Test
    void aRetryAfterBeyondTheBudget_endsAtOnce_withTheProblemAndItsRetryAfter() throws Exception {
        JobsClient c = client(new RetryPolicy(Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMillis(100)));
        script.add(problem(503, "overloaded", "60"));
        assertThatThrownBy(() -> c.submit("t", Map.of()))
                .isInstanceOfSatisfying(ProblemException.UnavailableException.class, e -> {
                    assertThat(e.type()).isEqualTo("/problems/overloaded");
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
                });
        assertThat(requests).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void clientErrors_areNotRetried() throws Exception {
        JobsClient c = client(RetryPolicy.DEFAULT);
        script.add(problem(422, "idempotency-key-reused", null));
        assertThatThrownBy(() -> c.submit("t", Map.of())).isInstanceOf(ProblemException.IdempotencyKeyReusedException.class);
        script.add(problem(400, "validation", null));
        assertThatThrownBy(() -> c.submit("t", Map.of())).isInstanceOf(ProblemException.InvalidRequestException.class);
        assertThat(requests).hasSize(2);
    }

    @Test
    void aGatewaysOwnMessage_becomesAProblem() throws Exception {
        JobsClient c = client(RetryPolicy.NONE);
        script.add(new Answer(429, Map.of("Content-Type", "application/json"), "{\"message\":\"Too Many Requests\"}"));
        assertThatThrownBy(c::stats).isInstanceOfSatisfying(ProblemException.RateLimitedException.class, e -> {
            assertThat(e.type()).isEqualTo("about:blank");
            assertThat(e.problem().title()).isEqualTo("Too Many Requests");
        });
    }

    @Test
    void networkErrors_areRetriedWithinTheBudget_thenReported() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        List<Duration> slept = new CopyOnWriteArrayList<>();
        JobsClient c = JobsClient.builder().baseUrl(URI.create("http://127.0.0.1:" + closed)).apiKey("k")
                .retryPolicy(new RetryPolicy(Duration.ofMillis(500), Duration.ofMillis(20), Duration.ofMillis(100)))
                .sleeper(d -> {
                    slept.add(d);
                    Thread.sleep(d.toMillis());
                }).build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> c.submit("t", Map.of())).isInstanceOf(TransportException.class);
        assertThat(slept).isNotEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
}
