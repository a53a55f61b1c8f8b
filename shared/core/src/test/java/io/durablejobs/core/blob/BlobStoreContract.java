package io.durablejobs.core.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} must do; run against the in-memory fake, the local folder and S3 (s3proxy
 * in-process, and LocalStack where Docker exists).
 */
public abstract class BlobStoreContract {

    protected abstract BlobStore store();

    /** GETs {@code url} as {@code tenant} would (with its bearer key where the URL is the API's). */
    protected abstract byte[] fetch(URI url, String tenant) throws Exception;

    /** A tenant of its own per test, so tests never see each other's blobs in a shared bucket or folder. */
    protected final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private BlobInfo put(BlobKey key, byte[] bytes, String type) throws IOException {
        return store().put(key, new ByteArrayInputStream(bytes), bytes.length, type);
    }

    private static byte[] read(Optional<Blob> blob) throws IOException {
        try (Blob b = blob.orElseThrow()) {
            return b.content().readAllBytes();
        }
    }

    @Test
    void put_thenGet_streamsTheSameBytes_withSizeAndContentType() throws Exception {
        BlobKey key = BlobKey.of(tenant, "in/photo.png");
        byte[] bytes = randomBytes(3 * 1024 * 1024 + 17);
        BlobInfo info = put(key, bytes, "image/png");
        assertThat(info.size()).isEqualTo(bytes.length);
        try (Blob b = store().get(key).orElseThrow()) {
            assertThat(b.info().size()).isEqualTo(bytes.length);
            assertThat(b.info().contentType()).isEqualTo("image/png");
            assertThat(b.content().readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void put_twice_overwrites_soARetriedJobLeavesOneOutput() throws Exception {
        BlobKey key = OutputKeys.forJob(tenant, "job-1", "pdf");
        put(key, randomBytes(100), "application/pdf");
        byte[] second = randomBytes(50);
        put(key, second, "application/pdf");
        assertThat(read(store().get(key))).isEqualTo(second);
        assertThat(store().list(tenant + "/jobs/job-1/", 10)).hasSize(1);
    }

    @Test
    void missingBlob_isEmpty_notAnError() throws Exception {
        BlobKey key = BlobKey.of(tenant, "nothing/here.bin");
        assertThat(store().get(key)).isEmpty();
        assertThat(store().stat(key)).isEmpty();
        assertThat(store().exists(key)).isFalse();
        assertThat(store().delete(key)).isFalse();
    }

    @Test
    void delete_removesIt() throws Exception {
        BlobKey key = BlobKey.of(tenant, "tmp/x.bin");
        put(key, randomBytes(10), "application/octet-stream");
        assertThat(store().exists(key)).isTrue();
        assertThat(store().delete(key)).isTrue();
        assertThat(store().exists(key)).isFalse();
    }

    @Test
    void list_byPrefix_inKeyOrder_withinTheLimit() throws Exception {
        for (String name : new String[] {"b.bin", "a.bin", "c.bin"}) {
            put(BlobKey.of(tenant, "list/" + name), randomBytes(5), "application/octet-stream");
        }
        put(BlobKey.of(tenant, "other/z.bin"), randomBytes(5), "application/octet-stream");
        assertThat(store().list(tenant + "/list/", 10)).extracting(i -> i.key().relative())
                .containsExactly("list/a.bin", "list/b.bin", "list/c.bin");
        assertThat(store().list(tenant + "/list/", 2)).hasSize(2);
        assertThat(store().list(tenant + "/list/", 10)).allSatisfy(i -> assertThat(i.size()).isEqualTo(5));
    }

    @Test
    void emptyBlob_roundTrips() throws Exception {
        BlobKey key = BlobKey.of(tenant, "empty.txt");
        put(key, new byte[0], "text/plain");
        assertThat(read(store().get(key))).isEmpty();
    }

    @Test
    void putOfAStream_readsExactlyTheGivenSize() throws Exception {
        BlobKey key = BlobKey.of(tenant, "stream.bin");
        byte[] bytes = randomBytes(200_000);
        InputStream in = new ByteArrayInputStream(bytes);
        store().put(key, in, bytes.length, "application/octet-stream");
        assertThat(read(store().get(key))).isEqualTo(bytes);
    }

    @Test
    void readUrl_givesTheOwningTenantTheBytes() throws Exception {
        BlobKey key = BlobKey.of(tenant, "jobs/j1/output.png");
        byte[] bytes = randomBytes(4096);
        put(key, bytes, "image/png");
        URI url = store().readUrl(key, Duration.ofMinutes(5));
        assertThat(url.isAbsolute()).isTrue();
        assertThat(fetch(url, tenant)).isEqualTo(bytes);
    }
}
