package io.durablejobs.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where job inputs and outputs live: S3 on AWS, a local folder for local runs. Content is streamed both
 * ways. A put replaces whatever was at the key (outputs under {@link OutputKeys} make a retried job
 * overwrite its earlier output). Implementations are safe to use from several threads.
 *
 * <p>Every method throws {@link IOException} when the store cannot be reached or the I/O fails: callers treat
 * that as an infrastructure failure (retry), and an absent blob as an ordinary empty answer.
 */
public interface BlobStore extends AutoCloseable {

    /** The setting value that selects this store ({@code local}, {@code s3}). */
    String kind();

    /** Writes exactly {@code size} bytes from {@code content} at {@code key}, replacing any blob there. */
    BlobInfo put(BlobKey key, InputStream content, long size, String contentType) throws IOException;

    /** The blob with its content to read, or empty when there is none. */
    Optional<Blob> get(BlobKey key) throws IOException;

    /** The blob's facts, or empty when there is none. */
    Optional<BlobInfo> stat(BlobKey key) throws IOException;

    default boolean exists(BlobKey key) throws IOException {
        return stat(key).isPresent();
    }

    /** Removes the blob; true when there was one. */
    boolean delete(BlobKey key) throws IOException;

    /**
     * Blobs whose key starts with {@code prefix} (a tenant followed by a path prefix, e.g. {@code t1/jobs/}),
     * in key order, at most {@code limit}.
     */
    List<BlobInfo> list(String prefix, int limit) throws IOException;

    /**
     * A URL the key's tenant can GET the blob from for about {@code ttl}: a presigned URL on S3; the local
     * host's {@code /v1/blobs/<relative key>} route (bearer-authenticated, so only that tenant) locally.
     */
    URI readUrl(BlobKey key, Duration ttl);

    /**
     * Whether {@link #readUrl} points at the API itself, which must then serve the content
     * ({@link BlobRoutes}); false when it points straight at the store (presigned).
     */
    default boolean servedThroughApi() {
        return false;
    }

    @Override
    default void close() {
    }
}
