package io.durablejobs.adapters.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.blob.BlobRoutes;
import io.durablejobs.core.blob.BlobStore;
import io.durablejobs.core.blob.BlobStoreContract;
import io.durablejobs.core.blob.BlobStores;
import io.durablejobs.core.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFolderBlobStoreTest extends BlobStoreContract {
    @TempDir
    static Path dir;

    private LocalFolderBlobStore store;

    @Override
    protected BlobStore store() {
        if (store == null) {
            store = new LocalFolderBlobStore(dir.resolve("blobs"), URI.create("http://127.0.0.1:8080"));
        }
        return store;
    }

    /** What the local host does with the URL: the API's blob route, as the caller's tenant. */
    @Override
    protected byte[] fetch(URI url, String tenant) {
        assertThat(url.toString()).startsWith("http://127.0.0.1:8080/v1/blobs/");
        var r = new BlobRoutes(store()).handle(new ApiRequest("GET", url.getPath(), Map.of(), Map.of(), null, "r"), tenant).orElseThrow();
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    @Test
    void blobs_liveUnderTheTenantsFolder_andNothingLeaksOutside() throws Exception {
        store().put(BlobKey.of(tenant, "jobs/j/output.png"), new ByteArrayInputStream(new byte[] {1}), 1, "image/png");
        assertThat(Files.exists(dir.resolve("blobs").resolve(tenant).resolve("jobs/j/output.png"))).isTrue();
        try (var files = Files.list(dir.resolve("blobs").resolve(tenant).resolve("jobs/j"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("output.png"); // no temp files left
        }
    }

    @Test
    void anotherTenant_cannotReadThroughTheUrl() throws Exception {
        BlobKey key = BlobKey.of(tenant, "secret.txt");
        store().put(key, new ByteArrayInputStream(new byte[] {1}), 1, "text/plain");
        URI url = store().readUrl(key, Duration.ofMinutes(1));
        var r = new BlobRoutes(store()).handle(new ApiRequest("GET", url.getPath(), Map.of(), Map.of(), null, "r"), "intruder").orElseThrow();
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void traversal_isRefused_evenPastTheKeyCheck() {
        assertThatThrownBy(() -> new BlobKey("t1/../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store().list("t1/../../", 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chosenBySetting_localIsTheDefault_andUnknownKindsAreNamed() {
        try (BlobStore s = BlobStores.open(Map.of("JOBS_BLOB_DIR", dir.resolve("x").toString(), "JOBS_HTTP_PORT", "9090"))) {
            assertThat(s).isInstanceOf(LocalFolderBlobStore.class);
            assertThat(s.readUrl(BlobKey.of("t1", "a.png"), Duration.ofMinutes(1)).toString())
                    .isEqualTo("http://127.0.0.1:9090/v1/blobs/a.png");
        }
        assertThatThrownBy(() -> BlobStores.open(Map.of("JOBS_BLOB_STORE", "ftp")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JOBS_BLOB_STORE=ftp").hasMessageContaining("local");
    }

    @Test
    void hostsInDifferentNamespaces_sharingOneFolder_doNotSeeEachOthersBlobs() throws Exception {
        String folder = dir.resolve("shared").toString();
        BlobKey key = BlobKey.of("t1", "out.png");
        try (BlobStore a = BlobStores.open(Map.of("JOBS_BLOB_DIR", folder, "JOBS_NAMESPACE", "ns-a"));
             BlobStore b = BlobStores.open(Map.of("JOBS_BLOB_DIR", folder, "JOBS_NAMESPACE", "ns-b"))) {
            a.put(key, new ByteArrayInputStream(new byte[] {1}), 1, "image/png");
            assertThat(a.exists(key)).isTrue();
            assertThat(b.exists(key)).isFalse();
            b.put(key, new ByteArrayInputStream(new byte[] {2, 2}), 2, "image/png");
            try (var blob = a.get(key).orElseThrow()) {
                assertThat(blob.info().size()).isEqualTo(1);
            }
        }
        assertThat(Files.exists(dir.resolve("shared/ns-a/t1/out.png"))).isTrue();
    }
}
