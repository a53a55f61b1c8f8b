package io.durablejobs.adapters.blob;

import io.durablejobs.core.blob.BlobStore;
import io.durablejobs.core.blob.BlobStoreProvider;
import io.durablejobs.core.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code JOBS_BLOB_STORE=local} (the default): blobs under {@code <JOBS_BLOB_DIR>/<JOBS_NAMESPACE>} (default
 * {@code .jobs-dev/blobs/jobs}), so hosts in different namespaces sharing one folder (tests, benchmarks
 * side by side) neither see nor overwrite each other's blobs, as they share nothing on the broker or in
 * Redis; and {@code JOBS_BLOB_BASE_URL}, the API's address for read URLs (default
 * {@code http://127.0.0.1:<JOBS_HTTP_PORT or 8080>}).
 */
public final class LocalFolderBlobStoreProvider implements BlobStoreProvider {
    public static final String DIR = "JOBS_BLOB_DIR";
    public static final String DEFAULT_DIR = ".jobs-dev/blobs";
    public static final String BASE_URL = "JOBS_BLOB_BASE_URL";
    private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,39}$");

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public BlobStore open(Map<String, String> env) {
        Settings s = new Settings(env);
        Path dir = s.get(DIR, DEFAULT_DIR, Path::of);
        // The namespace becomes a folder name: the same rule JobsConfig applies, checked here for the path.
        String namespace = s.get("JOBS_NAMESPACE", "jobs", v -> {
            if (!NAMESPACE.matcher(v).matches()) {
                throw new IllegalArgumentException("must match " + NAMESPACE.pattern());
            }
            return v;
        });
        int port = s.integer("JOBS_HTTP_PORT", 8080, 0, 65535);
        URI base = s.get(BASE_URL, "http://127.0.0.1:" + port, v -> {
            URI u = URI.create(v);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException("must be an absolute http(s) URL");
            }
            return u;
        });
        s.check();
        return new LocalFolderBlobStore(dir.resolve(namespace), base);
    }
}
