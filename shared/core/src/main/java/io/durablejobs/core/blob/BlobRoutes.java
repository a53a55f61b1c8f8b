package io.durablejobs.core.blob;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import io.durablejobs.core.api.Problem;
import io.durablejobs.core.api.RouteSpec;
import io.durablejobs.core.api.TenantRoute;
import io.durablejobs.core.config.Settings;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/blobs/<key>}: a tenant uploads ({@code PUT}) and reads ({@code GET}) its own blobs. The key in the path is tenant-relative and the authenticated tenant is put in front of it,
 * so another tenant's blob cannot even be named: it is simply not found (404). A store that serves through
 * the API (the local folder) is streamed here; a store with presigned URLs (S3) gets a redirect to a fresh
 * short-lived one.
 *
 * <p>Uploads are the inputs jobs name ({@code image.transform}'s {@code source.blob}, {@code pdf.render}'s
 * image blocks). They are bounded by what one Lambda invocation can carry, and they may not write under
 * {@code jobs/}, where the platform keeps job outputs: a result URL always shows what the job wrote.
 */
public final class BlobRoutes implements TenantRoute {
    public static final String PREFIX = "/v1/blobs/";
    /** What a Lambda response can carry (6 MB, base64-encoded). */
    public static final int DEFAULT_MAX_SERVED_BYTES = 4 * 1024 * 1024;
    /**
     * The largest upload: a Lambda request payload is at most 6 MB and a binary body arrives base64-encoded
     * (4/3 larger) inside the event, so about 4.4 MB of content is the most that can reach the function.
     */
    public static final int MAX_UPLOAD_BYTES_CEILING = 4 * 1024 * 1024;
    public static final String MAX_UPLOAD_BYTES = "JOBS_BLOB_MAX_UPLOAD_BYTES";
    /** Where job outputs live ({@link OutputKeys}); uploads may not write there. */
    static final String OUTPUTS_PREFIX = "jobs/";
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "^[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}(\\s*;\\s*[A-Za-z0-9!#$&^_.+-]{1,64}=(\"[ -~&&[^\"\\\\]]{0,64}\"|[A-Za-z0-9!#$&^_.+-]{1,64}))*$");
    private static final Duration REDIRECT_TTL = Duration.ofMinutes(5);
    private static final Logger LOG = LoggerFactory.getLogger(BlobRoutes.class);

    private final BlobStore store;
    private final int maxServedBytes;
    private final int maxUploadBytes;

    public BlobRoutes(BlobStore store) {
        this(store, DEFAULT_MAX_SERVED_BYTES);
    }

    public BlobRoutes(BlobStore store, int maxServedBytes) {
        this(store, maxServedBytes, MAX_UPLOAD_BYTES_CEILING);
    }

    public BlobRoutes(BlobStore store, int maxServedBytes, int maxUploadBytes) {
        this.store = store;
        this.maxServedBytes = maxServedBytes;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** {@code JOBS_BLOB_MAX_UPLOAD_BYTES}: 1 byte to {@link #MAX_UPLOAD_BYTES_CEILING}, the ceiling by default. */
    public static int maxUploadBytes(Map<String, String> env) {
        Settings s = new Settings(env);
        int max = maxUploadBytes(s);
        s.check();
        return max;
    }

    /** Reads into {@code s}, which collects the problems for the caller to check. */
    public static int maxUploadBytes(Settings s) {
        return s.integer(MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES_CEILING, 1, MAX_UPLOAD_BYTES_CEILING);
    }

    @Override
    public List<RouteSpec> routes() {
        return List.of(RouteSpec.get(PREFIX + "{key}"), new RouteSpec("PUT", PREFIX + "{key}"));
    }

    @Override
    public Optional<ApiResponse> handle(ApiRequest request, String tenant) {
        String path = request.path() == null ? "" : request.path();
        if (!path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("PUT")) {
            return Optional.of(Problem.of(405, "method-not-allowed", "Method not allowed", method + " is not allowed here")
                    .header("Allow", "GET, PUT").toResponse());
        }
        String relative = path.substring(PREFIX.length());
        String problem = BlobKey.problemWith(relative);
        if (method.equals("PUT")) {
            return Optional.of(upload(request, tenant, relative, problem));
        }
        if (problem != null) {
            return Optional.of(notFound());
        }
        BlobKey key = BlobKey.of(tenant, relative);
        try {
            return Optional.of(store.servedThroughApi() ? serve(key) : redirect(key));
        } catch (IOException e) {
            LOG.warn("blob store unavailable tenant={} method={} ({})", tenant, method, e.toString());
            return Optional.of(unavailable("the blob store cannot be reached"));
        }
    }

    /** 201 when the key was new, 200 when it replaced a blob: {@code {key, bytes, contentType}}. */
    private ApiResponse upload(ApiRequest request, String tenant, String relative, String keyProblem) {
        List<FieldError> errors = new ArrayList<>();
        if (keyProblem != null) {
            errors.add(new FieldError("key", keyProblem));
        } else if (relative.startsWith(OUTPUTS_PREFIX)) {
            errors.add(new FieldError("key", "must not start with " + OUTPUTS_PREFIX + ": job outputs are written there"));
        }
        String contentType = request.header("content-type");
        if (contentType == null || contentType.isBlank()) {
            contentType = "application/octet-stream";
        } else if (!MEDIA_TYPE.matcher(contentType.trim()).matches()) {
            errors.add(new FieldError("Content-Type", "must be a media type such as image/png"));
        }
        if (!errors.isEmpty()) {
            return Problem.validation(errors).toResponse();
        }
        byte[] body = request.body();
        if (body.length > maxUploadBytes) {
            return Problem.of(413, "too-large", "Blob too large", "the upload is " + body.length
                    + " bytes; the limit is " + maxUploadBytes).toResponse();
        }
        BlobKey key = BlobKey.of(tenant, relative);
        try {
            boolean existed = store.exists(key);
            BlobInfo info = store.put(key, new ByteArrayInputStream(body), body.length, contentType.trim());
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("key", relative);
            n.put("bytes", info.size());
            n.put("contentType", info.contentType());
            return ApiResponse.json(existed ? 200 : 201, n, Map.of("Location", PREFIX + relative));
        } catch (IOException e) {
            LOG.warn("blob store unavailable writing tenant={} ({})", tenant, e.toString());
            return unavailable("the blob store cannot be reached; nothing was stored");
        }
    }

    private static ApiResponse unavailable(String detail) {
        return Problem.of(503, "unavailable", "Service unavailable", detail).header("Retry-After", "1").toResponse();
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
