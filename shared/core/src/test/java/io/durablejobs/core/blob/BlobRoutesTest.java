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

    private ApiResponse put(String path, String tenant, String contentType, byte[] body) {
        Map<String, String> headers = contentType == null ? Map.of() : Map.of("content-type", contentType);
        return routes.handle(new ApiRequest("PUT", path, Map.of(), headers, body, "r"), tenant).orElseThrow();
    }

    @Test
    void upload_storesInTheTenantsOwnKeySpace_keepingTheContentType() throws Exception {
        ApiResponse created = put("/v1/blobs/charts/q1.png", "t1", "image/png", new byte[] {9, 8, 7});
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers()).containsEntry("Location", "/v1/blobs/charts/q1.png");
        assertThat(created.bodyText()).contains("\"key\":\"charts/q1.png\"", "\"bytes\":3", "\"contentType\":\"image/png\"");
        assertThat(store.stat(BlobKey.of("t1", "charts/q1.png")).orElseThrow().contentType()).isEqualTo("image/png");
        ApiResponse read = get("/v1/blobs/charts/q1.png", "t1");
        assertThat(read.body()).containsExactly(9, 8, 7);
        assertThat(read.headers()).containsEntry("Content-Type", "image/png");
        assertThat(get("/v1/blobs/charts/q1.png", "t2").status()).isEqualTo(404);
    }

    @Test
    void uploadAgain_replacesTheBlob_with200() {
        put("/v1/blobs/a.txt", "t1", "text/plain", new byte[] {1});
        ApiResponse again = put("/v1/blobs/a.txt", "t1", "text/plain; charset=utf-8", new byte[] {2, 2});
        assertThat(again.status()).isEqualTo(200);
        assertThat(get("/v1/blobs/a.txt", "t1").body()).containsExactly(2, 2);
    }

    @Test
    void upload_withoutContentType_isStoredAsOctetStream() throws Exception {
        assertThat(put("/v1/blobs/raw.bin", "t1", null, new byte[] {1}).status()).isEqualTo(201);
        assertThat(store.stat(BlobKey.of("t1", "raw.bin")).orElseThrow().contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void upload_overTheLimit_is413_andStoresNothing() throws Exception {
        BlobRoutes small = new BlobRoutes(store, 1024, 10);
        ApiResponse r = small.handle(new ApiRequest("PUT", "/v1/blobs/big.bin", Map.of(), Map.of(), new byte[11], "r"), "t1").orElseThrow();
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.headers()).containsEntry("Content-Type", "application/problem+json");
        assertThat(store.exists(BlobKey.of("t1", "big.bin"))).isFalse();
    }

    @Test
    void upload_withABadKey_orBadContentType_is400_namingEachField() {
        ApiResponse r = put("/v1/blobs/../x.png", "t1", "not a type", new byte[] {1});
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).contains("/problems/validation", "\"field\":\"key\"", "\"field\":\"Content-Type\"");
        assertThat(put("/v1/blobs/a//b", "t1", "image/png", new byte[] {1}).status()).isEqualTo(400);
    }

    @Test
    void upload_underJobOutputs_isRefused_soAResultUrlShowsWhatTheJobWrote() throws Exception {
        store.put(BlobKey.of("t1", "jobs/j/output.png"), new byte[] {1}, "image/png");
        ApiResponse r = put("/v1/blobs/jobs/j/output.png", "t1", "image/png", new byte[] {6, 6});
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.bodyText()).contains("\"field\":\"key\"", "jobs/");
        assertThat(get("/v1/blobs/jobs/j/output.png", "t1").body()).containsExactly(1);
    }

    @Test
    void otherMethods_are405_namingTheAllowedOnes() {
        var r = routes.handle(new ApiRequest("DELETE", "/v1/blobs/a", Map.of(), Map.of(), null, "r"), "t1").orElseThrow();
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers().get("Allow")).isEqualTo("GET, PUT");
    }

    @Test
    void maxUploadBytes_isASettingBoundedByWhatLambdaCanCarry() {
        assertThat(BlobRoutes.maxUploadBytes(Map.of())).isEqualTo(BlobRoutes.MAX_UPLOAD_BYTES_CEILING);
        assertThat(BlobRoutes.maxUploadBytes(Map.of("JOBS_BLOB_MAX_UPLOAD_BYTES", "1000"))).isEqualTo(1000);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BlobRoutes.maxUploadBytes(Map.of("JOBS_BLOB_MAX_UPLOAD_BYTES", "9999999")))
                .hasMessageContaining("JOBS_BLOB_MAX_UPLOAD_BYTES");
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
