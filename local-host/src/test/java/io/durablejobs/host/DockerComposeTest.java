package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml checked without Docker: that the host it runs listens where its published port
 * reaches, uses LocalStack's S3 and Secrets Manager as the README says, and that every setting it passes is
 * one the code reads and every secret it names is one LocalStack is seeded with. DockerComposeIT runs it.
 */
class DockerComposeTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static JsonNode compose;
    static JsonNode hostEnv;

    @BeforeAll
    static void read() throws IOException {
        compose = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile());
        hostEnv = compose.path("services").path("local-host").path("environment");
    }

    @Test
    void the_host_listens_on_every_interface_of_its_container_and_is_published_on_loopback_only() {
        assertThat(hostEnv.path("JOBS_HTTP_BIND").asText()).isEqualTo("0.0.0.0");
        assertThat(compose.path("services").path("local-host").path("ports").get(0).asText())
                .isEqualTo("127.0.0.1:8080:" + hostEnv.path("JOBS_HTTP_PORT").asText());
        for (JsonNode service : compose.path("services")) {
            for (JsonNode port : service.path("ports")) {
                assertThat(port.asText()).as("published ports").startsWith("127.0.0.1:");
            }
        }
    }

    @Test
    void the_host_uses_localstack_for_blobs_dead_letters_and_secrets() {
        assertThat(hostEnv.path("AWS_ENDPOINT_URL").asText()).isEqualTo("http://localstack:4566");
        assertThat(hostEnv.path("JOBS_BLOB_STORE").asText()).isEqualTo("s3");
        assertThat(hostEnv.path("JOBS_BLOB_BUCKET").asText()).isNotBlank();
        assertThat(hostEnv.path("JOBS_DEAD_LETTER_BUCKET").asText()).isNotBlank();
        for (String secret : List.of("JOBS_RABBITMQ_SECRET_ARN", "JOBS_REDIS_SECRET_ARN", "JOBS_API_KEYS_SECRET_ARN",
                "JOBS_WEBHOOK_SIGNING_SECRET_ARN")) {
            assertThat(hostEnv.has(secret)).as(secret).isTrue();
        }
        assertThat(hostEnv.has("JOBS_API_KEYS")).as("keys come from Secrets Manager, not plain").isFalse();
        assertThat(hostEnv.path("JOBS_RABBITMQ_URI").asText()).doesNotContain("@");
        JsonNode deps = compose.path("services").path("local-host").path("depends_on");
        for (String s : List.of("rabbitmq", "redis", "localstack")) {
            assertThat(deps.path(s).path("condition").asText()).as(s).isEqualTo("service_healthy");
        }
    }

    @Test
    void every_secret_the_host_names_is_seeded_in_localstack() throws IOException {
        String init = Files.readString(ROOT.resolve("localstack/init/10-jobs.sh"));
        for (Iterator<Map.Entry<String, JsonNode>> it = hostEnv.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().endsWith("_SECRET_ARN")) {
                String name = withDefaults(e.getValue().asText());
                assertThat(name).as(e.getKey()).startsWith("jobs-local/");
                assertThat(init).as(e.getKey() + " seeded").contains("secret \"$prefix/" + name.substring("jobs-local/".length()) + "\"");
            }
        }
    }

    /** The bug this guards against: a setting in the compose file that nothing reads. */
    @Test
    void every_jobs_setting_the_host_is_given_is_read_by_the_code() throws IOException {
        List<String> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/") && !p.toString().contains("/target/"))
                    .forEach(p -> {
                        try {
                            sources.add(Files.readString(p));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
        String all = String.join("\n", sources);
        for (Iterator<String> it = hostEnv.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (name.startsWith("JOBS_")) {
                assertThat(all).as(name + " is read somewhere in src/main/java").contains("\"" + name + "\"");
            }
        }
    }

    /** {@code ${NAME:-default}} with its default, as Compose does when NAME is unset. */
    static String withDefaults(String value) {
        Matcher m = Pattern.compile("\\$\\{[A-Z_]+:-([^}]*)}").matcher(value);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)));
    }
}
