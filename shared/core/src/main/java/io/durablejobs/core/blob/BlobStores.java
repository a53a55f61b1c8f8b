package io.durablejobs.core.blob;

import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.config.Providers;
import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Map;

/** Picks the blob store named by {@code JOBS_BLOB_STORE} ({@code local} by default) among the providers present. */
public final class BlobStores {
    public static final String STORE = "JOBS_BLOB_STORE";
    public static final String DEFAULT_STORE = "local";
    public static final String URL_TTL = "JOBS_BLOB_URL_TTL";
    public static final String DEFAULT_URL_TTL = "1h";

    private BlobStores() {
    }

    /**
     * Opens the configured store.
     *
     * @throws ConfigException when the kind is unknown or its provider is not on the classpath, or its own
     *                         settings are bad
     */
    public static BlobStore open(Map<String, String> env) {
        String kind = new Settings(env).string(STORE, DEFAULT_STORE);
        return Providers.find(BlobStoreProvider.class, BlobStores.class.getClassLoader(), BlobStoreProvider::kind, STORE, kind,
                "the S3 store needs the jobs-blob-s3 module").open(env);
    }

    /** How long result URLs stay valid ({@code JOBS_BLOB_URL_TTL}, 1 minute to 7 days). */
    public static Duration urlTtl(Map<String, String> env) {
        Settings s = new Settings(env);
        Duration ttl = s.duration(URL_TTL, DEFAULT_URL_TTL);
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(7)) > 0) {
            s.problem(URL_TTL + "=" + ttl + ": must be between 1m and 7d (the most a presigned S3 URL allows)");
        }
        s.check();
        return ttl;
    }
}
