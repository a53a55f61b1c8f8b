package io.durablejobs.examples.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.contract.ContractProxy;
import io.durablejobs.core.json.Json;
import io.durablejobs.host.HostOptions;
import io.durablejobs.host.LocalHost;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * image.transform, pdf.render and the example custom type end to end through the local host, over the
 * real RabbitMQ and Redis: HTTP submit, the types' own queues and worker functions (from the real
 * functions/functions.json), the job status, and the result URL read back as the owning tenant only.
 */
class JobTypesEndToEndIT {
    static final String KEY1 = "key-e2e-tenant-one-" + UUID.randomUUID();
    static final String KEY2 = "key-e2e-tenant-two-" + UUID.randomUUID();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static LocalHost host;
    /** Every exchange goes through it and is held to api/openapi.json. */
    static ContractProxy contract;
    static Path blobs;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // the blob URLs name the API's port, so it is chosen up front
        }
        blobs = Files.createTempDirectory("e2e-blobs");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("JOBS_HOST_FUNCTIONS");
        env.remove("JOBS_FUNCTIONS_FILE");
        env.put("JOBS_NAMESPACE", "it-types-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("JOBS_API_KEYS", "t1=" + KEY1 + ",t2=" + KEY2);
        env.put("JOBS_HTTP_PORT", Integer.toString(port));
        env.put("JOBS_BLOB_STORE", "local");
        env.put("JOBS_BLOB_DIR", blobs.toString());
        env.put("JOBS_RETRY_TIERS", "200ms,400ms");
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../../functions/functions.json"))
                .withFunctions("submit", "image-worker", "pdf-worker", "hello-worker").withHttpPort(port));
        contract = ContractProxy.start(host.apiUrl());
    }

    @AfterAll
    static void stop() {
        if (contract != null) {
            contract.close();
        }
        if (host != null) {
            host.close();
        }
        if (contract != null) {
            contract.assertKept();
        }
    }

    static HttpResponse<byte[]> send(String method, String path, String key, String body) throws Exception {
        // Result URLs name the host itself; their path goes through the contract proxy like every other call.
        HttpRequest.Builder b = HttpRequest.newBuilder(contract.url().resolve(path.startsWith("http") ? URI.create(path).getRawPath() : path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return Json.MAPPER.readTree(r.body());
    }

    static String submit(String type, JsonNode payload) throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode().put("type", type);
        body.set("payload", payload);
        HttpResponse<byte[]> r = send("POST", "/v1/jobs", KEY1, body.toString());
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(202);
        return json(r).get("jobId").asText();
    }

    static JsonNode awaitStatus(String jobId, String status) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last[0] = json(send("GET", "/v1/jobs/" + jobId, KEY1, null));
            assertThat(last[0].path("status").asText()).as(last[0].toString()).isEqualTo(status);
        });
        return last[0];
    }

    static byte[] png(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void imageTransform_resultUrl_servesTheImage_toItsTenantOnly() throws Exception {
        JsonNode payload = Json.MAPPER.readTree("{\"source\":{\"base64\":\"" + Base64.getEncoder().encodeToString(png(300, 200))
                + "\"},\"format\":\"jpeg\",\"quality\":90,\"operations\":[{\"op\":\"resize\",\"width\":150}]}");
        String id = submit("image.transform", payload);
        JsonNode result = awaitStatus(id, "succeeded").get("result");
        assertThat(result.get("width").asInt()).isEqualTo(150);
        assertThat(result.get("height").asInt()).isEqualTo(100);
        assertThat(result.at("/output/blob").asText()).isEqualTo("jobs/" + id + "/output.jpg");
        String url = result.at("/output/url").asText();
        assertThat(url).startsWith(host.apiUrl().toString().replaceAll("/$", "") + "/v1/blobs/");

        HttpResponse<byte[]> mine = send("GET", url, KEY1, null);
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.headers().firstValue("Content-Type")).contains("image/jpeg");
        assertThat(mine.body()).hasSize(result.get("bytes").asInt());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(mine.body()));
        assertThat(img.getWidth()).isEqualTo(150);
        assertThat(new Color(img.getRGB(10, 50)).getRed()).isGreaterThan(200);

        assertThat(send("GET", url, KEY2, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", url, "wrong-key-wrong-key-wrong", null).statusCode()).isEqualTo(401);
    }

    @Test
    void decompressionBomb_isDeadLettered_withItsReason_andTheWorkerGoesOn() throws Exception {
        byte[] bomb = BombPng.declaring(100_000, 100_000);
        String id = submit("image.transform", Json.MAPPER.readTree("{\"source\":{\"base64\":\""
                + Base64.getEncoder().encodeToString(bomb) + "\"},\"format\":\"png\"}"));
        JsonNode status = awaitStatus(id, "dead_lettered");
        assertThat(status.get("error").asText()).contains("image_too_large");
        assertThat(status.get("attempts").asInt()).isEqualTo(1);
        String next = submit("image.transform", Json.MAPPER.readTree("{\"source\":{\"base64\":\""
                + Base64.getEncoder().encodeToString(png(20, 20)) + "\"},\"format\":\"png\"}"));
        awaitStatus(next, "succeeded");
    }

    @Test
    void invalidPayload_isA400_namingTheField_andNoJob() throws Exception {
        HttpResponse<byte[]> r = send("POST", "/v1/jobs", KEY1,
                "{\"type\":\"image.transform\",\"payload\":{\"source\":{\"blob\":\"../x\"},\"format\":\"gif\"}}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new String(r.body())).contains("payload.source.blob", "payload.format");
    }

    @Test
    void pdfRender_resultIsAPdf_withItsPagesAndText() throws Exception {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        ObjectNode doc = payload.putObject("document").put("title", "E2E — Grüße");
        var blocks = doc.putArray("blocks");
        for (int i = 0; i < 12; i++) {
            blocks.addObject().put("type", "paragraph").put("text", ("Absatz " + i + " über Straßen und Привет. ").repeat(40));
        }
        blocks.addObject().put("type", "table").putArray("rows").addArray().add("a").add("b");
        String id = submit("pdf.render", payload);
        JsonNode result = awaitStatus(id, "succeeded").get("result");
        assertThat(result.get("pages").asInt()).isGreaterThan(1);
        HttpResponse<byte[]> pdf = send("GET", result.at("/output/url").asText(), KEY1, null);
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).contains("application/pdf");
        try (PDDocument d = Loader.loadPDF(pdf.body())) {
            assertThat(d.getNumberOfPages()).isEqualTo(result.get("pages").asInt());
            assertThat(new PDFTextStripper().getText(d)).contains("E2E — Grüße", "Absatz 11 über Straßen und Привет.");
        }
    }

    static HttpResponse<byte[]> upload(String key, String apiKey, String contentType, byte[] content) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(host.apiUrl().resolve("/v1/blobs/" + key)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The README's pdf.render and image.transform examples, as written there, after the upload it shows. */
    @Test
    void readmeExamples_runAsWritten_afterUploadingTheirBlob() throws Exception {
        byte[] chart = png(240, 160);
        HttpResponse<byte[]> up = upload("charts/q1.png", KEY1, "image/png", chart);
        assertThat(up.statusCode()).as(new String(up.body())).isEqualTo(201);
        assertThat(json(up).get("bytes").asInt()).isEqualTo(chart.length);
        assertThat(json(up).get("contentType").asText()).isEqualTo("image/png");
        assertThat(send("GET", "/v1/blobs/charts/q1.png", KEY2, null).statusCode()).isEqualTo(404);

        String pdf = submit("pdf.render", Json.MAPPER.readTree("""
                {"document": {"title": "Report", "blocks": [{"type": "heading", "text": "Intro"}, {"type": "paragraph", "text": "..."},
                  {"type": "table", "rows": [["City", "Temp"], ["München", "−3 °C"]]}, {"type": "image", "blob": "charts/q1.png"}]}}"""));
        JsonNode pdfResult = awaitStatus(pdf, "succeeded").get("result");
        try (PDDocument d = Loader.loadPDF(send("GET", pdfResult.at("/output/url").asText(), KEY1, null).body())) {
            assertThat(new PDFTextStripper().getText(d)).contains("Report", "München", "−3 °C");
            assertThat(d.getPage(0).getResources().getXObjectNames()).isNotEmpty(); // the uploaded chart is drawn
        }

        String image = submit("image.transform", Json.MAPPER.readTree("""
                {"source": {"blob": "charts/q1.png"}, "operations": [{"op": "resize", "width": 400, "fit": "contain"}, {"op": "grayscale"}],
                 "format": "jpeg", "quality": 85}"""));
        JsonNode imageResult = awaitStatus(image, "succeeded").get("result");
        assertThat(imageResult.get("width").asInt()).isEqualTo(400);
        assertThat(imageResult.get("contentType").asText()).isEqualTo("image/jpeg");

        // Another tenant naming the same key names its own (empty) key space: its job dead-letters, nothing leaks.
        HttpResponse<byte[]> r = send("POST", "/v1/jobs", KEY2, "{\"type\":\"image.transform\",\"payload\":"
                + "{\"source\":{\"blob\":\"charts/q1.png\"},\"format\":\"png\"}}");
        String foreign = json(r).get("jobId").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(json(send("GET", "/v1/jobs/" + foreign, KEY2, null)).path("status").asText()).isEqualTo("dead_lettered"));
    }

    @Test
    void cancel_aScheduledJobNeverRuns_aRunningOneStopsCooperatively_aFinishedOneIs409_andTheLedgerBalances() throws Exception {
        String scheduled = json(send("POST", "/v1/jobs", KEY1, "{\"type\":\"example.hello\",\"payload\":{\"name\":\"Later\"},"
                + "\"delay\":\"PT2S\"}")).get("jobId").asText();
        HttpResponse<byte[]> c1 = send("POST", "/v1/jobs/" + scheduled + "/cancel", KEY1, null);
        assertThat(c1.statusCode()).isEqualTo(200);
        assertThat(json(c1).get("status").asText()).isEqualTo("cancelled");
        assertThat(send("POST", "/v1/jobs/" + scheduled + "/cancel", KEY2, null).statusCode()).as("another tenant's").isEqualTo(404);

        String running = submit("example.hello", Json.MAPPER.readTree("{\"name\":\"Long\",\"steps\":100}"));
        awaitStatus(running, "running");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode progress = json(send("GET", "/v1/jobs/" + running, KEY1, null)).get("progress");
            assertThat(progress).as("progress reported by the handler").isNotNull();
            assertThat(progress.get("message").asText()).matches("step \\d+ of 100");
            assertThat(progress.get("percent").asInt()).isBetween(0, 100);
        });
        HttpResponse<byte[]> c2 = send("POST", "/v1/jobs/" + running + "/cancel", KEY1, null);
        assertThat(c2.statusCode()).isEqualTo(202);
        assertThat(json(c2).get("cancelRequested").asBoolean()).isTrue();
        JsonNode stopped = awaitStatus(running, "cancelled");
        assertThat(stopped.get("attempts").asInt()).isEqualTo(1);
        assertThat(stopped.has("result")).isFalse();

        String done = submit("example.hello", Json.MAPPER.readTree("{\"name\":\"Quick\"}"));
        awaitStatus(done, "succeeded");
        HttpResponse<byte[]> c3 = send("POST", "/v1/jobs/" + done + "/cancel", KEY1, null);
        assertThat(c3.statusCode()).isEqualTo(409);
        assertThat(new String(c3.body())).contains("/problems/job-finished");

        Thread.sleep(3000); // past the scheduled job's due time: its message comes due, and the claim refuses it
        JsonNode s = json(send("GET", "/v1/jobs/" + scheduled, KEY1, null));
        assertThat(s.get("status").asText()).isEqualTo("cancelled");
        assertThat(s.get("attempts").asInt()).as("never ran").isZero();
        JsonNode types = json(send("GET", "/v1/stats", KEY1, null)).get("types").get("example.hello");
        assertThat(types.get("cancelled").asLong()).isGreaterThanOrEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(json(send("GET", "/v1/stats", KEY1, null)).get("balanced").asBoolean()).isTrue());
    }

    @Test
    void exampleType_runsOnItsOwnQueue_andRetries() throws Exception {
        String id = submit("example.hello", Json.MAPPER.readTree("{\"name\":\"Ada\",\"shout\":true}"));
        assertThat(awaitStatus(id, "succeeded").at("/result/greeting").asText()).isEqualTo("HELLO, ADA!");
        String flaky = submit("example.hello", Json.MAPPER.readTree("{\"name\":\"fail\"}"));
        JsonNode s = awaitStatus(flaky, "succeeded");
        assertThat(s.get("attempts").asInt()).isEqualTo(2);
        assertThat(host.topology().workQueue("example.hello")).contains("example.hello");
        HttpResponse<byte[]> bad = send("POST", "/v1/jobs", KEY1, "{\"type\":\"example.hello\",\"payload\":{\"name\":\"\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(new String(bad.body())).contains("payload.name");
    }
}
