package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a careless or hostile client sends, against the host running the real submit function
 * (functions/functions.json): slow and malformed HTTP, and inputs that parsers read differently. Each case
 * must be answered with a clear 4xx problem, never stall other clients, and never be accepted silently.
 * Deadlines are shortened (1 s) so the suite stays fast; the cases are the README's corpus list.
 */
class HostileInputCorpusIT {
    static final String KEY = "key-hostile-aaaaaaaaaaaaaa";
    static final String OTHER_KEY = "key-hostile-zzzzzzzzzzzzzz";
    static final int PER_CLIENT = 150;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static LocalHost host;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = ItSupport.hostEnv(ItSupport.namespace());
        env.put("JOBS_API_KEYS", "acme=" + KEY + ",zeta=" + OTHER_KEY);
        env.put("JOBS_HOST_HEADER_TIMEOUT", "1s");
        env.put("JOBS_HOST_BODY_TIMEOUT", "1s");
        env.put("JOBS_HOST_MAX_CONNECTIONS_PER_CLIENT", Integer.toString(PER_CLIENT));
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../functions/functions.json"))
                .withFunctions("submit").withHttpPort(0));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
            ItSupport.deleteTopology(host.topology());
        }
    }

    static HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(host.apiUrl().resolve(path)).timeout(Duration.ofSeconds(5)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> submit(String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(host.apiUrl().resolve("/v1/jobs")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertProblem(String raw, int status) {
        assertThat(RawHttp.status(raw)).as(raw).isEqualTo(status);
        assertThat(RawHttp.header(raw, "Content-Type")).isEqualTo("application/problem+json");
        assertThat(RawHttp.body(raw)).contains("\"status\":" + status).doesNotContain("Exception");
    }

    // --- the HTTP layer ---

    @Test
    void clientsThatNeverFinishTheirHeadersOrBodies_doNotStallHealthOrTheApi() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 45; i++) {
                Socket s = RawHttp.open(host.port());
                RawHttp.send(s, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
                slow.add(s);
            }
            for (int i = 0; i < 45; i++) {
                Socket s = RawHttp.open(host.port());
                RawHttp.send(s, "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"type\":");
                slow.add(s);
            }
            long t0 = System.nanoTime();
            assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
            assertThat(get("/v1/jobs/00000000-0000-0000-0000-000000000000", KEY).statusCode()).isEqualTo(404);
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            System.out.printf("with 90 slow connections open, /healthz and an API call took %d ms together%n", took.toMillis());
            assertThat(took).isLessThan(Duration.ofSeconds(3));

            // Past their deadlines, each slow connection gets a 408 problem and is closed.
            for (Socket s : slow) {
                assertProblem(RawHttp.readUntilClosed(s), 408);
            }
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void oneClientHoldsABoundedNumberOfConnections() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < PER_CLIENT + 1; i++) {
                held.add(RawHttp.open(host.port()));
            }
            String refused = null;
            for (Socket s : held.reversed()) {
                s.setSoTimeout(200);
                String answer = RawHttp.readUntilClosed(s);
                if (!answer.isEmpty()) {
                    refused = answer;
                    break;
                }
            }
            assertThat(refused).as("a connection beyond the bound is refused").isNotNull();
            assertProblem(refused, 429);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(get("/healthz", null).statusCode()).isEqualTo(200));
    }

    @Test
    void aContentLengthThatIsNotANumber_isAProblem() throws Exception {
        assertProblem(RawHttp.exchange(host.port(), "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}"), 400);
    }

    @Test
    void aRequestTargetThatIsNotAUri_isAProblem() throws Exception {
        assertProblem(RawHttp.exchange(host.port(), "GET /v1/jobs/%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        assertProblem(RawHttp.exchange(host.port(), "GET /a|b{c} HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    }

    @Test
    void aMalformedRequestLine_andOversizedHeaders_areProblems() throws Exception {
        assertProblem(RawHttp.exchange(host.port(), "NONSENSE\r\n\r\n"), 400);
        assertProblem(RawHttp.exchange(host.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n"), 431);
        assertProblem(RawHttp.exchange(host.port(), "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
    }

    // --- inputs parsers read differently, and silent acceptance ---

    static void assertRefused(HttpResponse<String> r, String field) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains(field);
    }

    @Test
    void webhookUrlsWithIpv4SpellingsThatClientsReadDifferently_areRefusedAtSubmit() throws Exception {
        for (String host : List.of("0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1", "2130706433", "017700000001", "127.0.0.1.")) {
            assertRefused(submit("{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"http://" + host + "/hook\",\"body\":{}}}"),
                    "payload.url");
        }
    }

    @Test
    void imageSourcesTheWorkerWouldRefuse_areRefusedAtSubmit() throws Exception {
        for (String url : List.of("http://img.example/a.png", "https://img.example/a.png#x", "https://0177.0.0.1/a.png",
                "https://127.1/a.png")) {
            assertRefused(submit("{\"type\":\"image.transform\",\"payload\":{\"source\":{\"url\":\"" + url
                    + "\"},\"format\":\"png\"}}"), "payload.source.url");
        }
    }

    @Test
    void aPriorityPastTheRangeOfALong_isRefused() throws Exception {
        for (String p : List.of("18446744073709551621", "4294967301", "-18446744073709551611", "5.0e0")) {
            assertRefused(submit("{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"https://hooks.example/x\",\"body\":{}},"
                    + "\"priority\":" + p + "}"), "priority");
        }
    }

    @Test
    void aBodyThatIsNotValidUtf8_is400_notRepaired() throws Exception {
        byte[] head = "{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"https://hooks.example/x\",\"body\":\"".getBytes();
        byte[] tail = "\"}}".getBytes();
        byte[] body = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xc3;
        body[head.length + 1] = (byte) 0x28;
        System.arraycopy(tail, 0, body, head.length + 2, tail.length);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(host.apiUrl().resolve("/v1/jobs")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("malformed-json");
    }

    @Test
    void theDashboardOverview_needsAnApiKey_andShowsATenantOnlyItsOwnJobs() throws Exception {
        HttpResponse<String> anonymous = get("/dashboard/api/overview", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(get("/dashboard/api/overview", "key-not-a-real-one-000000").statusCode()).isEqualTo(401);

        // No worker runs in this host: acme's job stays in flight.
        assertThat(submit("{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"https://secret-partner.example/in\",\"body\":{}}}")
                .statusCode()).isEqualTo(202);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var acme = json.readTree(get("/dashboard/api/overview", KEY).body());
        var zeta = json.readTree(get("/dashboard/api/overview", OTHER_KEY).body());
        assertThat(acme.get("tenant").asText()).isEqualTo("acme");
        assertThat(acme.get("inFlight").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(zeta.get("tenant").asText()).isEqualTo("zeta");
        assertThat(zeta.get("inFlight").asLong()).isZero();
        assertThat(zeta.toString()).doesNotContain("secret-partner").doesNotContain("breakers");
    }
}
