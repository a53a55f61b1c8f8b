package io.durablejobs.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.sun.net.httpserver.HttpServer;
import io.durablejobs.core.metrics.MetricsPusher;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * PutMetricData as the SDK really sends it (2.57: smithy-rpc-v2-cbor), caught by a local HTTP endpoint
 * that decodes the CBOR body: so the request on the wire is checked, not just our call.
 */
class CloudWatchMetricsPusherTest {
    record Captured(String path, Map<String, List<String>> headers, byte[] body) {
    }

    private HttpServer server;
    private final List<Captured> requests = new CopyOnWriteArrayList<>();
    private static final CBORMapper CBOR = new CBORMapper();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.add(new Captured(ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), ex.getRequestBody().readAllBytes()));
            byte[] empty = CBOR.writeValueAsBytes(Map.of());
            ex.getResponseHeaders().set("Content-Type", "application/cbor");
            ex.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
            ex.sendResponseHeaders(200, empty.length);
            ex.getResponseBody().write(empty);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CloudWatchClient client() {
        return CloudWatchClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @Test
    void putMetricData_onTheWire_carriesNamespaceMetricsValuesUnitsAndDimensions() throws Exception {
        try (CloudWatchMetricsPusher pusher = new CloudWatchMetricsPusher(client(), "DurableJobs", "jobs-prod")) {
            pusher.push(List.of(new MetricsPusher.Datum("DeadLetters", 3, "Count", Map.of("Type", "webhook.deliver")),
                    new MetricsPusher.Datum("DlqDepth", 7, "Count", Map.of()),
                    new MetricsPusher.Datum("DlqOldestAgeSeconds", 4200, "Seconds", Map.of())));
        }
        assertThat(requests).hasSize(1);
        Captured r = requests.get(0);
        assertThat(r.path()).isEqualTo("/service/GraniteServiceVersion20100801/operation/PutMetricData");
        assertThat(r.headers().get("Smithy-protocol")).containsExactly("rpc-v2-cbor");
        assertThat(r.headers().get("Content-type")).containsExactly("application/cbor");
        assertThat(r.headers().get("Authorization").get(0)).startsWith("AWS4-HMAC-SHA256").contains("/monitoring/aws4_request");

        JsonNode body = CBOR.readTree(r.body());
        assertThat(body.get("Namespace").asText()).isEqualTo("DurableJobs");
        JsonNode data = body.get("MetricData");
        assertThat(data).hasSize(3);
        JsonNode dead = data.get(0);
        assertThat(dead.get("MetricName").asText()).isEqualTo("DeadLetters");
        assertThat(dead.get("Value").asDouble()).isEqualTo(3.0);
        assertThat(dead.get("Unit").asText()).isEqualTo("Count");
        assertThat(dead.get("Timestamp").isNumber()).as("a CBOR epoch timestamp").isTrue();
        assertThat(dead.get("Dimensions")).extracting(d -> d.get("Name").asText() + "=" + d.get("Value").asText())
                .containsExactlyInAnyOrder("Namespace=jobs-prod", "Type=webhook.deliver");
        assertThat(data.get(2).get("MetricName").asText()).isEqualTo("DlqOldestAgeSeconds");
        assertThat(data.get(2).get("Unit").asText()).isEqualTo("Seconds");
        assertThat(data.get(2).get("Value").asDouble()).isEqualTo(4200.0);
        assertThat(data.get(1).get("Dimensions")).hasSize(1);
    }

    @Test
    void moreThanOneCallsWorth_isSplit() {
        List<MetricsPusher.Datum> many = new java.util.ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            many.add(new MetricsPusher.Datum("M", i, "Count", Map.of()));
        }
        try (CloudWatchMetricsPusher pusher = new CloudWatchMetricsPusher(client(), "DurableJobs", "jobs")) {
            pusher.push(many);
        }
        assertThat(requests).hasSize(2);
    }
}
