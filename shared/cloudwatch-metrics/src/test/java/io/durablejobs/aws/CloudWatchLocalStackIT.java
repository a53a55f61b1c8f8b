package io.durablejobs.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.metrics.MetricsPusher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * PutMetricData against LocalStack 4.14.0 (the last image without an auth token) where
 * Docker exists; skipped, with the reason printed by JUnit, where it does not.
 */
@Testcontainers(disabledWithoutDocker = true)
class CloudWatchLocalStackIT {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.14.0"))
            .withServices("cloudwatch");

    @Test
    void putMetricData_isStored_andReadBack() {
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        try (CloudWatchClient cw = CloudWatchClient.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(creds).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            new CloudWatchMetricsPusher(cw, "DurableJobs", "it").push(List.of(new MetricsPusher.Datum("DlqDepth", 5, "Count", Map.of())));
            var stats = cw.getMetricStatistics(b -> b.namespace("DurableJobs").metricName("DlqDepth")
                    .dimensions(d -> d.name("Namespace").value("it")).startTime(Instant.now().minusSeconds(600)).endTime(Instant.now().plusSeconds(60))
                    .period(60).statistics(software.amazon.awssdk.services.cloudwatch.model.Statistic.MAXIMUM));
            assertThat(stats.datapoints()).anySatisfy(p -> assertThat(p.maximum()).isEqualTo(5.0));
        }
    }
}
