package io.durablejobs.aws;

import io.durablejobs.core.config.Settings;
import io.durablejobs.core.metrics.MetricsPusher;
import io.durablejobs.core.metrics.MetricsPusherProvider;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * {@code JOBS_METRICS_PUSH=cloudwatch}: PutMetricData with region {@code AWS_REGION}, {@code AWS_ENDPOINT_URL}
 * for LocalStack, credentials from the default chain (the function's role) and the JDK's URL connection as
 * HTTP client, as the S3 adapters build theirs.
 */
public final class CloudWatchMetricsPusherProvider implements MetricsPusherProvider {

    @Override
    public String kind() {
        return "cloudwatch";
    }

    @Override
    public MetricsPusher open(Map<String, String> env, String metricsNamespace, String jobsNamespace) {
        Settings s = new Settings(env);
        String region = s.string("AWS_REGION", s.string("AWS_DEFAULT_REGION", "us-east-1"));
        URI endpoint = s.get("AWS_ENDPOINT_URL", null, URI::create);
        s.check();
        var b = CloudWatchClient.builder().region(Region.of(region)).credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return new CloudWatchMetricsPusher(b.build(), metricsNamespace, jobsNamespace);
    }
}
