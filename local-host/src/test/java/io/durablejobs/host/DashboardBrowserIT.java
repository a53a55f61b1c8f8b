package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven by Playwright (npm
 * {@code playwright-core}, no browser download) against the local host with the real submit, webhook
 * worker and DLQ consumer functions over the real RabbitMQ and Redis. A webhook answered with 410 is
 * dead-lettered; the page, given the API key, shows it; a click on Replay puts it back to work (the
 * receiver now answers 200) and the row leaves the list. Screenshots stay in
 * {@code target/dashboard-screenshots/}. Skips, saying why, where node, Chromium (installed with apt-get
 * when missing and possible) or playwright-core (npm) cannot be had.
 */
class DashboardBrowserIT {
    static final String KEY = "key-dash-aaaaaaaaaaaaaaaa";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static final AtomicInteger status = new AtomicInteger(410);
    static HttpServer receiver;
    static LocalHost host;
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        String node = onPath("node");
        Assumptions.assumeTrue(node != null, "node is not on PATH: skipping the dashboard browser test");
        Assumptions.assumeTrue(chromium(), "Debian chromium is not installed and could not be installed (apt-get install -y chromium): "
                + "skipping the dashboard browser test");
        work = Path.of("target", "dashboard-browser").toAbsolutePath();
        Files.createDirectories(work);
        for (String f : List.of("package.json", "dashboard-test.mjs")) {
            Files.copy(Path.of("src", "test", "browser", f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(work.resolve("node_modules/playwright-core"))) {
            int rc = run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), work, 300);
            Assumptions.assumeTrue(rc == 0 && Files.isDirectory(work.resolve("node_modules/playwright-core")),
                    "npm could not install playwright-core (no registry?): skipping the dashboard browser test");
        }
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        receiver.start();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("JOBS_HOST_FUNCTIONS");
        env.remove("JOBS_FUNCTIONS_FILE");
        env.put("JOBS_NAMESPACE", ItSupport.namespace());
        env.put("JOBS_API_KEYS", "acme=" + KEY);
        env.put("JOBS_WEBHOOK_SIGNING_SECRET", SECRET);
        env.put("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
        env.put("JOBS_DLQ_DIR", Files.createTempDirectory("dash-dlq").toString());
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../functions/functions.json"))
                .withFunctions("submit", "webhook-worker", "dlq-consumer").withHttpPort(0));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
            ItSupport.deleteTopology(host.topology());
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    static JsonNode get(String path) throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(host.apiUrl().resolve(path)).header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    @Test
    void thePageShowsTheDeadLetter_andReplayMakesItLeave() throws Exception {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/gone";
        var submitted = HTTP.send(HttpRequest.newBuilder(host.apiUrl().resolve("/v1/jobs")).header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + url + "\",\"body\":{\"n\":1}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String jobId = JSON.readTree(submitted.body()).get("jobId").asText();
        // Two functions start cold (a JVM each) before the dead letter is recorded: generous on a loaded machine.
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/v1/dlq").get("items").findValuesAsText("jobId").contains(jobId));

        status.set(200);
        Path shots = Path.of("target", "dashboard-screenshots").toAbsolutePath();
        Files.createDirectories(shots);
        int rc = run(List.of(onPath("node"), "dashboard-test.mjs", host.apiUrl().toString(), KEY, jobId, shots.toString()), work, 120);
        assertThat(rc).as("the browser script (see its output above)").isZero();
        assertThat(shots.resolve("before.png")).exists();
        assertThat(shots.resolve("after.png")).exists();

        await().atMost(Duration.ofSeconds(30)).until(() -> get("/v1/jobs/" + jobId).get("status").asText().equals("succeeded"));
        assertThat(get("/v1/dlq/" + jobId).get("state").asText()).isEqualTo("replayed");
        assertThat(get("/v1/stats").get("balanced").asBoolean()).isTrue();
    }

    static boolean chromium() {
        if (new File("/usr/bin/chromium").canExecute()) {
            return true;
        }
        if (onPath("apt-get") == null) {
            return false;
        }
        System.out.println("chromium missing: trying apt-get install -y chromium");
        try {
            run(List.of("apt-get", "install", "-y", "chromium"), Path.of("."), 600);
        } catch (Exception e) {
            return false;
        }
        return new File("/usr/bin/chromium").canExecute();
    }

    static int run(List<String> command, Path dir, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        System.out.println(String.join(" ", command.subList(0, Math.min(2, command.size()))) + ": " + out);
        return p.exitValue();
    }

    static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getAbsolutePath();
            }
        }
        return null;
    }
}
