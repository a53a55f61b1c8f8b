package io.durablejobs.blob.s3;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** An {@link S3BlobStore} on a test S3 endpoint (s3proxy or LocalStack), with its bucket created. */
final class S3Fixture {
    private S3Fixture() {
    }

    static S3BlobStore store(URI endpoint, String accessKey, String secretKey, String region, String bucket) {
        return store(endpoint, accessKey, secretKey, region, bucket, "");
    }

    static S3BlobStore store(URI endpoint, String accessKey, String secretKey, String region, String bucket, String prefix) {
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        S3Configuration cfg = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.of(region)).credentialsProvider(creds)
                .serviceConfiguration(cfg).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        S3Presigner presigner = S3Presigner.builder().endpointOverride(endpoint).region(Region.of(region)).credentialsProvider(creds)
                .serviceConfiguration(cfg).build();
        s3.createBucket(b -> b.bucket(bucket));
        return new S3BlobStore(s3, presigner, bucket, prefix);
    }

    /** A plain HTTP GET, without any credentials: what a tenant's client does with a presigned URL. */
    static byte[] httpGet(URI url) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + new String(r.body()));
        }
        return r.body();
    }
}
