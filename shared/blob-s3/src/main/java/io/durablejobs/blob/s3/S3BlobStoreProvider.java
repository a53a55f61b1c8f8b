package io.durablejobs.blob.s3;

import io.durablejobs.core.blob.BlobStore;
import io.durablejobs.core.blob.BlobStoreProvider;
import io.durablejobs.core.config.Settings;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@code JOBS_BLOB_STORE=s3}: bucket {@code JOBS_BLOB_BUCKET} (required), object key prefix
 * {@code JOBS_BLOB_PREFIX} (e.g. {@code blobs/}; the bucket also holds dead letters), region {@code AWS_REGION} (Lambda
 * sets it), {@code AWS_ENDPOINT_URL} for LocalStack or another S3-compatible server (path-style addressing
 * then, unless {@code JOBS_BLOB_S3_PATH_STYLE=false}). Credentials come from the default chain (the
 * function's role on Lambda). The HTTP client is the JDK's URL connection: small and quick to start.
 */
public final class S3BlobStoreProvider implements BlobStoreProvider {
    public static final String BUCKET = "JOBS_BLOB_BUCKET";
    public static final String PATH_STYLE = "JOBS_BLOB_S3_PATH_STYLE";
    public static final String PREFIX = "JOBS_BLOB_PREFIX";

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public BlobStore open(Map<String, String> env) {
        Settings s = new Settings(env);
        String bucket = s.string(BUCKET, null);
        if (bucket == null) {
            s.problem(BUCKET + " is required when JOBS_BLOB_STORE=s3");
        }
        String region = s.string("AWS_REGION", s.string("AWS_DEFAULT_REGION", "us-east-1"));
        URI endpoint = s.get("AWS_ENDPOINT_URL", null, URI::create);
        boolean pathStyle = s.bool(PATH_STYLE, endpoint != null);
        String prefix = s.get(PREFIX, "", p -> {
            if (!p.isEmpty() && (p.startsWith("/") || !p.endsWith("/"))) {
                throw new IllegalArgumentException("must be empty or end with / and not start with /, e.g. blobs/");
            }
            return p;
        });
        s.check();
        return create(bucket, prefix, Region.of(region), endpoint, pathStyle);
    }

    static S3BlobStore create(String bucket, String prefix, Region region, URI endpoint, boolean pathStyle) {
        S3Configuration cfg = S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build();
        var client = S3Client.builder().region(region).serviceConfiguration(cfg)
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        var presigner = S3Presigner.builder().region(region).serviceConfiguration(cfg)
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (endpoint != null) {
            client.endpointOverride(endpoint);
            presigner.endpointOverride(endpoint);
        }
        return new S3BlobStore(client.build(), presigner.build(), bucket, prefix);
    }
}
