package io.durablejobs.core.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlobRoutesTest {
    private final InMemoryBlobStore store = new InMemoryBlobStore();
    private final BlobRoutes routes = new BlobRoutes(store, 1024);

    private ApiResponse get(String path, String tenant) {
        return routes.handle(new ApiRequest("GET", path, Map.of(), Map.of(), null, "r"), tenant).orElseThrow();
    }

    @Test
    void owningTenant_getsTheBytesAndContentType() throws Exception {
        store.put(BlobKey.of("t1", "jobs/j/output.png"), new byte[] {1, 2, 3}, "image/png");
        ApiResponse r = get("/v1/blobs/jobs/j/output.png", "t1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).containsExactly(1, 2, 3);
        assertThat(r.headers()).containsEntry("Content-Type", "image/png");
    }

    @Test
    void anotherTenant_getsA404_evenNamingTheOwnersPath() throws Exception {
        store.put(BlobKey.of("t1", "jobs/j/output.png"), new byte[] {1}, "image/png");
        assertThat(get("/v1/blobs/jobs/j/output.png", "t2").status()).isEqualTo(404);
        assertThat(get("/v1/blobs/../t1/jobs/j/output.png", "t2").status()).isEqualTo(404);
        assertThat(get("/v1/blobs/t1/jobs/j/output.png", "t2").status()).isEqualTo(404);
    }

    @Test
    void otherPaths_areNotThisRoutes() {
        assertThat(routes.handle(new ApiRequest("GET", "/v1/dlq", Map.of(), Map.of(), null, "r"), "t1")).isEmpty();
    }

    @Test
    void writes_areNotAllowed() {
        var r = routes.handle(new ApiRequest("PUT", "/v1/blobs/a", Map.of(), Map.of(), null, "r"), "t1").orElseThrow();
        assertThat(r.status()).isEqualTo(405);
    }

    @Test
    void overTheServingLimit_is413() throws Exception {
        store.put(BlobKey.of("t1", "big.bin"), new byte[2000], "application/octet-stream");
        assertThat(get("/v1/blobs/big.bin", "t1").status()).isEqualTo(413);
    }

    @Test
    void presigningStore_isARedirect_toAFreshUrl() throws Exception {
        InMemoryBlobStore presigning = new InMemoryBlobStore() {
            @Override
            public boolean servedThroughApi() {
                return false;
            }

            @Override
            public URI readUrl(BlobKey key, Duration ttl) {
                return URI.create("https://bucket.example/" + key.value() + "?sig=1");
            }
        };
        presigning.put(BlobKey.of("t1", "a.png"), new byte[] {1}, "image/png");
        var r = new BlobRoutes(presigning).handle(new ApiRequest("GET", "/v1/blobs/a.png", Map.of(), Map.of(), null, "r"), "t1").orElseThrow();
        assertThat(r.status()).isEqualTo(307);
        assertThat(r.headers().get("Location")).isEqualTo("https://bucket.example/t1/a.png?sig=1");
    }
}
