package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JOBS_HOST_ISOLATION=process: every environment is a JVM running Lambda's runtime interface client. */
class ProcessIsolationIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final long HOST_PID = ProcessHandle.current().pid();
    @TempDir
    static Path dir;
    private static LocalHost host;

    @BeforeAll
    static void start() throws Exception {
        host = LocalHost.start(ItSupport.options(ItSupport.namespace(), "api", "filerec")
                .withEnv("JOBS_HOST_ISOLATION", "process")
                .withEnv("TEST_RECORD_DIR", dir.toString()));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
            ItSupport.deleteTopology(host.topology());
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long pid(HttpResponse<?> r) {
        return Long.parseLong(r.headers().firstValue("x-pid").orElseThrow());
    }

    @Test
    void httpFunction_runsInTheRuntimeInterfaceClient_inItsOwnJvm() throws Exception {
        HttpResponse<String> first = get("/one");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("x-function")).hasValue("api");
        assertThat(pid(first)).isNotEqualTo(HOST_PID);
        assertThat(pid(get("/two"))).as("a warm environment is reused").isEqualTo(pid(first));

        HttpResponse<String> failed = get("/throw");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");

        assertThat(get("/sleep").statusCode()).isEqualTo(503);
        // The host answers 503 and kills the timed-out environment's JVM; the kill lands a moment later.
        long timedOut = pid(first);
        org.awaitility.Awaitility.await("the timed-out runtime is killed").atMost(java.time.Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(timedOut).map(p -> !p.isAlive()).orElse(true));
        HttpResponse<String> after = get("/three");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(pid(after)).isNotEqualTo(pid(first));
    }

    @Test
    void sigkillOfAWorkerMidBatch_sendsTheBatchBackToANewEnvironment() throws Exception {
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
        ItSupport.publish(host.topology(), "test.file", persistent, "hang".getBytes(StandardCharsets.UTF_8));

        Path hung = dir.resolve("hung");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(hung) && !Files.readString(hung).isBlank());
        long victim = Long.parseLong(Files.readString(hung).trim());
        assertThat(victim).isNotEqualTo(HOST_PID);
        assertThat(ProcessHandle.of(victim).orElseThrow().destroyForcibly()).isTrue();

        Path records = dir.resolve("records");
        await().atMost(Duration.ofSeconds(40)).until(() -> Files.exists(records) && Files.readString(records).contains("hang|"));
        List<String> lines = Files.readAllLines(records).stream().filter(l -> l.startsWith("hang|")).toList();
        assertThat(lines).hasSize(1);
        String[] parts = lines.get(0).split("\\|");
        assertThat(parts[1]).as("redelivered").isEqualTo("true");
        assertThat(Long.parseLong(parts[2])).isNotEqualTo(victim).isNotEqualTo(HOST_PID);
        await().atMost(Duration.ofSeconds(5)).until(() -> ItSupport.ready(host.topology(), host.namespace() + ".test.file") == 0);
    }
}
