package io.durablejobs.core.blob;

import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import io.durablejobs.core.api.Problem;
import io.durablejobs.core.api.RouteSpec;
import io.durablejobs.core.api.TenantRoute;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/blobs/<key>}: a tenant reads its own blobs. The key in the path is tenant-relative and the
 * authenticated tenant is put in front of it, so another tenant's blob cannot even be named: it is simply
 * not found (404). A store that serves through the API (the local folder) is streamed here; a store with
 * presigned URLs (S3) gets a redirect to a fresh short-lived one.
 */
public final class BlobRoutes implements TenantRoute {
    public static final String PREFIX = "/v1/blobs/";
    /** What a Lambda response can carry (6 MB, base64-encoded). */
    public static final int DEFAULT_MAX_SERVED_BYTES = 4 * 1024 * 1024;
    private static final Duration REDIRECT_TTL = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(BlobRoutes.class);

    private final BlobStore store;
    private final int maxServedBytes;

    public BlobRoutes(BlobStore store) {
        this(store, DEFAULT_MAX_SERVED_BYTES);
    }

    public BlobRoutes(BlobStore store, int maxServedBytes) {
        this.store = store;
        this.maxServedBytes = maxServedBytes;
    }

    @Override
    public List<RouteSpec> routes() {
        return List.of(RouteSpec.get(PREFIX + "{key}"));
    }

    @Override
    public Optional<ApiResponse> handle(ApiRequest request, String tenant) {
        String path = request.path() == null ? "" : request.path();
        if (!path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
        if (!method.equals("GET")) {
            return Optional.of(Problem.of(405, "method-not-allowed", "Method not allowed", method + " is not allowed here")
                    .header("Allow", "GET").toResponse());
        }
        String relative = path.substring(PREFIX.length());
        if (BlobKey.problemWith(relative) != null) {
            return Optional.of(notFound());
        }
        BlobKey key = BlobKey.of(tenant, relative);
        try {
            return Optional.of(store.servedThroughApi() ? serve(key) : redirect(key));
        } catch (IOException e) {
            LOG.warn("blob store unavailable reading tenant={} ({})", tenant, e.toString());
            return Optional.of(Problem.of(503, "unavailable", "Service unavailable", "the blob store cannot be reached")
                    .header("Retry-After", "1").toResponse());
        }
    }

    private ApiResponse serve(BlobKey key) throws IOException {
        Optional<Blob> found = store.get(key);
        if (found.isEmpty()) {
            return notFound();
        }
        try (Blob blob = found.get()) {
            if (blob.info().size() > maxServedBytes) {
                return Problem.of(413, "too-large", "Blob too large", "blobs over " + maxServedBytes
                        + " bytes are not served through the API").toResponse();
            }
            byte[] body = blob.content().readNBytes(maxServedBytes + 1);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", blob.info().contentType());
            headers.put("Cache-Control", "private, no-store");
            headers.put("X-Content-Type-Options", "nosniff");
            return new ApiResponse(200, headers, body);
        }
    }

    private ApiResponse redirect(BlobKey key) throws IOException {
        if (!store.exists(key)) {
            return notFound();
        }
        return new ApiResponse(307, Map.of("Location", store.readUrl(key, REDIRECT_TTL).toString(),
                "Cache-Control", "no-store"), new byte[0]);
    }

    private static ApiResponse notFound() {
        return Problem.of(404, "not-found", "Not found", "no such blob").toResponse();
    }
}
