package io.durablejobs.examples.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.json.Json;
import io.durablejobs.host.HostOptions;
import io.durablejobs.host.LocalHost;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile job payloads through the local host, over the real RabbitMQ and Redis: the pdf.render and
 * image.transform inputs that once held a worker for minutes (and with it every other tenant's jobs in the
 * same queue) are refused at submit, or run in bounded time without holding anyone else back, or end
 * alone with their own reason. The HTTP-level corpus (slow clients, parser differentials, dashboard
 * access) is local-host's HostileInputCorpusIT.
 */
class HostileJobsCorpusIT {
    static final String KEY1 = "key-hostile-tenant-one-" + UUID.randomUUID();
    static final String KEY2 = "key-hostile-tenant-two-" + UUID.randomUUID();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static LocalHost host;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("JOBS_HOST_FUNCTIONS");
        env.remove("JOBS_FUNCTIONS_FILE");
        env.put("JOBS_NAMESPACE", "it-hostile-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("JOBS_API_KEYS", "t1=" + KEY1 + ",t2=" + KEY2);
        env.put("JOBS_HTTP_PORT", Integer.toString(port));
        env.put("JOBS_BLOB_STORE", "local");
        env.put("JOBS_BLOB_DIR", Files.createTempDirectory("hostile-blobs").toString());
        env.put("JOBS_RETRY_TIERS", "200ms,400ms");
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../../functions/functions.json"))
                .withFunctions("submit", "image-worker", "pdf-worker").withHttpPort(port));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    static HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(host.apiUrl().resolve(path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> submit(String key, String type, JsonNode payload) throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode().put("type", type);
        body.set("payload", payload);
        return send("POST", "/v1/jobs", key, body.toString());
    }

    static String accepted(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body().length() > 300 ? r.body().substring(0, 300) : r.body()).isEqualTo(202);
        return Json.MAPPER.readTree(r.body()).get("jobId").asText();
    }

    static JsonNode awaitFinal(String key, String jobId, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = Json.MAPPER.readTree(send("GET", "/v1/jobs/" + jobId, key, null).body());
            assertThat(last[0].path("status").asText()).as(last[0].toString()).isIn("succeeded", "dead_lettered");
        });
        return last[0];
    }

    static ObjectNode pdf(String title, JsonNode... blocks) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        ObjectNode doc = payload.putObject("document").put("title", title);
        ArrayNode list = doc.putArray("blocks");
        for (JsonNode b : blocks) {
            list.add(b);
        }
        return payload;
    }

    static ObjectNode block(String type, String text) {
        return Json.MAPPER.createObjectNode().put("type", type).put("text", text);
    }

    static String word(int chars) {
        char[] c = new char[chars];
        Arrays.fill(c, 'x');
        return new String(c);
    }

    @Test
    void pdfBlocksThatOnceTookMinutesToLayOut_areRefusedAtSubmit_namingTheField() throws Exception {
        ObjectNode table = Json.MAPPER.createObjectNode().put("type", "table");
        table.putArray("rows").addArray().add("a").add(word(200_000));
        List<HttpResponse<String>> refused = List.of(
                submit(KEY1, "pdf.render", pdf("word", block("paragraph", word(240_000)))),
                submit(KEY1, "pdf.render", pdf("heading", block("heading", word(200_000)))),
                submit(KEY1, "pdf.render", pdf("cell", table)));
        List<String> fields = List.of("payload.document.blocks[0].text", "payload.document.blocks[0].text",
                "payload.document.blocks[0].rows[0][1]");
        for (int i = 0; i < refused.size(); i++) {
            HttpResponse<String> r = refused.get(i);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(r.body()).contains(fields.get(i));
        }
    }

    @Test
    void unbrokenWordsAtTheLimit_renderInBoundedTime_andAnotherTenantsPdfIsNotHeldBack() throws Exception {
        List<String> heavy = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            heavy.add(accepted(submit(KEY1, "pdf.render", pdf("heavy " + i, block("paragraph", word(100_000))))));
        }
        Thread.sleep(1000);
        long submitted = System.nanoTime();
        String light = accepted(submit(KEY2, "pdf.render", pdf("one line", block("paragraph", "hello"))));

        JsonNode lightStatus = awaitFinal(KEY2, light, Duration.ofSeconds(60));
        Duration waited = Duration.ofNanos(System.nanoTime() - submitted);
        assertThat(lightStatus.path("status").asText()).isEqualTo("succeeded");
        // Before layout was linear, this one-line PDF waited ten minutes behind such jobs.
        assertThat(waited).isLessThan(Duration.ofSeconds(30));
        System.out.printf("hostile corpus: another tenant's one-line pdf finished %d ms after submit, behind three 100,000-character words%n",
                waited.toMillis());
        for (String id : heavy) {
            JsonNode s = awaitFinal(KEY1, id, Duration.ofSeconds(60));
            assertThat(s.path("status").asText()).as(s.toString()).isEqualTo("succeeded");
            assertThat(s.path("attempts").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aTruncatedJpeg_endsAlone_asAnInvalidImage_andTheNextImageSucceeds() throws Exception {
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, random.nextInt(0xFFFFFF));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        byte[] whole = out.toByteArray();
        byte[] truncated = Arrays.copyOf(whole, whole.length * 6 / 10);

        String bad = accepted(submit(KEY1, "image.transform", Json.MAPPER.readTree("{\"source\":{\"base64\":\""
                + Base64.getEncoder().encodeToString(truncated) + "\"},\"format\":\"png\"}")));
        String good = accepted(submit(KEY2, "image.transform", Json.MAPPER.readTree("{\"source\":{\"base64\":\""
                + Base64.getEncoder().encodeToString(small()) + "\"},\"format\":\"png\"}")));

        JsonNode badStatus = awaitFinal(KEY1, bad, Duration.ofSeconds(60));
        assertThat(badStatus.path("status").asText()).isEqualTo("dead_lettered");
        assertThat(badStatus.path("error").asText()).contains("invalid_image");
        assertThat(badStatus.path("attempts").asInt()).isEqualTo(1);
        assertThat(awaitFinal(KEY2, good, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("succeeded");
    }

    static byte[] small() throws Exception {
        BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(0, 0, 20, 20);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
