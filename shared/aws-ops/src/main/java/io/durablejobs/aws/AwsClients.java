package io.durablejobs.aws;

import io.durablejobs.core.config.Settings;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * How this module's AWS clients are built: region {@code AWS_REGION} (Lambda sets it), {@code AWS_ENDPOINT_URL}
 * for LocalStack (S3 then path-style), credentials from the default chain (the function's role), and the
 * JDK's URL connection as HTTP client (small, quick to start).
 */
public record AwsClients(Region region, URI endpoint) {

    public static AwsClients from(Settings s) {
        String region = s.string("AWS_REGION", s.string("AWS_DEFAULT_REGION", "us-east-1"));
        URI endpoint = s.get("AWS_ENDPOINT_URL", null, URI::create);
        return new AwsClients(Region.of(region), endpoint);
    }

    public S3Client s3() {
        var b = S3Client.builder().region(region).credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(endpoint != null).build());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        return b.build();
    }
}
