package io.durablejobs.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.dlq.DeadLetterStore;
import io.durablejobs.core.dlq.DeadLetterStoreContract;
import io.durablejobs.core.dlq.DeadLetterStoreUnavailableException;
import io.durablejobs.core.dlq.DeadLetterStores;
import io.durablejobs.core.dlq.DeadLetters;
import java.net.URI;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** The dead-letter store contract against an in-process S3 server (s3proxy). */
class S3DeadLetterStoreTest extends DeadLetterStoreContract {
    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().withCredentials("access", "secret-key-for-tests").build();

    private S3DeadLetterStore store;

    static S3Client client(URI endpoint, String access, String secret, String region) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @Override
    protected DeadLetterStore store() {
        if (store == null) {
            S3Client s3 = client(S3.getUri(), S3.getAccessKey(), S3.getSecretKey(), "us-east-1");
            s3.createBucket(b -> b.bucket("dlq-test"));
            store = new S3DeadLetterStore(s3, "dlq-test", "dead-letters/", "jobs");
        }
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void anUnreachableBucket_isUnavailable() {
        store();
        S3DeadLetterStore broken = new S3DeadLetterStore(client(URI.create("http://127.0.0.1:9"), "a", "b", "us-east-1"), "dlq-test", "", "jobs");
        assertThatThrownBy(() -> broken.put(DeadLetters.of(tenant, "webhook.deliver", "client_error", T0)))
                .isInstanceOf(DeadLetterStoreUnavailableException.class);
    }

    @Test
    void chosenBySetting_whenABucketIsConfigured() {
        store();
        try (DeadLetterStore s = DeadLetterStores.open(Map.of("JOBS_DEAD_LETTER_BUCKET", "dlq-test", "AWS_ENDPOINT_URL", S3.getUri().toString(),
                "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y"))) {
            assertThat(s).isInstanceOf(S3DeadLetterStore.class);
        }
        assertThatThrownBy(() -> DeadLetterStores.open(Map.of("JOBS_DEAD_LETTER_STORE", "s3"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("JOBS_DEAD_LETTER_BUCKET");
    }
}
