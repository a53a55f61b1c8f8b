package io.durablejobs.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.blob.BlobStore;
import io.durablejobs.core.blob.BlobStoreContract;
import io.durablejobs.core.blob.BlobStores;
import io.durablejobs.core.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The blob store contract against an in-process S3 server (s3proxy), presigned URLs fetched over HTTP, with
 * the object key prefix deployments use ({@code blobs/}: the bucket is shared with dead letters).
 */
class S3BlobStoreTest extends BlobStoreContract {
    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.builder().withCredentials("access", "secret-key-for-tests").build();

    private S3BlobStore store;

    @Override
    protected BlobStore store() {
        if (store == null) {
            store = S3Fixture.store(S3.getUri(), S3.getAccessKey(), S3.getSecretKey(), "us-east-1", "jobs-test", "blobs/");
        }
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Override
    protected byte[] fetch(URI url, String tenant) throws Exception {
        assertThat(url.getQuery()).contains("X-Amz-Signature");
        return S3Fixture.httpGet(url);
    }

    @Test
    void presignedUrl_forAnotherKey_doesNotWork() throws Exception {
        BlobKey key = BlobKey.of(tenant, "a.bin");
        store().put(key, new ByteArrayInputStream(new byte[] {1, 2}), 2, "application/octet-stream");
        URI url = store().readUrl(key, Duration.ofMinutes(5));
        URI tampered = URI.create(url.toString().replace("/a.bin?", "/b.bin?"));
        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(403);
    }

    @Test
    void chosenBySetting_needsABucket() {
        store(); // s3proxy's clean-up after each test expects a bucket to exist
        assertThatThrownBy(() -> BlobStores.open(Map.of("JOBS_BLOB_STORE", "s3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JOBS_BLOB_BUCKET");
        try (BlobStore s = BlobStores.open(Map.of("JOBS_BLOB_STORE", "s3", "JOBS_BLOB_BUCKET", "b",
                "AWS_ENDPOINT_URL", S3.getUri().toString(), "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y"))) {
            assertThat(s).isInstanceOf(S3BlobStore.class);
            assertThat(((S3BlobStore) s).bucket()).isEqualTo("b");
        }
    }

    @Test
    void objectsLiveUnderThePrefix_whichTheFunctionsPoliciesAndLifecycleRulesTarget() throws Exception {
        BlobKey key = BlobKey.of(tenant, "jobs/j1/output.png");
        store().put(key, new ByteArrayInputStream(new byte[] {7}), 1, "image/png");
        S3BlobStore s3 = (S3BlobStore) store();
        assertThat(s3.objectKey(key)).isEqualTo("blobs/" + key.value());
        assertThat(S3Fixture.httpGet(s3.readUrl(key, Duration.ofMinutes(1)))).containsExactly(7);
        assertThat(store().list(tenant + "/jobs/", 10)).extracting(i -> i.key().value()).contains(key.value());
    }

    @Test
    void aBadPrefix_isRefusedAtStart() {
        store();
        assertThatThrownBy(() -> BlobStores.open(Map.of("JOBS_BLOB_STORE", "s3", "JOBS_BLOB_BUCKET", "b", "JOBS_BLOB_PREFIX", "/blobs")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JOBS_BLOB_PREFIX");
    }
}
