package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The README's Docker quick start, run: docker-compose.yml brings up RabbitMQ, Redis, LocalStack and the
 * host built from this tree, and a job submitted through the published port is accepted and readable.
 * Needs a Docker engine (and builds the host image, minutes on a cold cache); skipped, with the reason
 * printed by JUnit, where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
class DockerComposeIT {
    static final String KEY = "dev-key-change-me";

    @Container
    static final ComposeContainer COMPOSE = new ComposeContainer(new File("../docker-compose.yml"))
            .withBuild(true)
            .withExposedService("local-host", 8080, Wait.forHttp("/healthz").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(15)));

    @Test
    void a_job_submitted_through_the_published_port_is_accepted_and_readable() throws Exception {
        URI api = URI.create("http://" + COMPOSE.getServiceHost("local-host", 8080) + ":" + COMPOSE.getServicePort("local-host", 8080));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(api.resolve("/v1/jobs"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"example.hello\",\"payload\":{\"name\":\"compose\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String location = posted.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> got = http.send(HttpRequest.newBuilder(api.resolve(location)).header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
    }
}
