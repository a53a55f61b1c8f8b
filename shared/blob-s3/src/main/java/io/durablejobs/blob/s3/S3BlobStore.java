package io.durablejobs.blob.s3;

import io.durablejobs.core.blob.Blob;
import io.durablejobs.core.blob.BlobInfo;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Blobs as objects in one bucket, the blob key as the object key (so a tenant's blobs are the
 * {@code <tenant>/} prefix, which IAM policies and lifecycle rules can target). Read URLs are presigned
 * GETs; note that a URL presigned with a Lambda role's temporary credentials stops working when those
 * credentials expire, whatever its TTL.
 */
public final class S3BlobStore implements BlobStore {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final String prefix;

    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket) {
        this(s3, presigner, bucket, "");
    }

    /**
     * @param prefix where blobs live in the bucket (e.g. {@code blobs/}), which the bucket is shared with
     *               (dead letters): the functions' IAM policies and the lifecycle rules target it
     */
    public S3BlobStore(S3Client s3, S3Presigner presigner, String bucket, String prefix) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
    }

    /** The object key of a blob: the store's prefix, then the blob key. */
    String objectKey(BlobKey key) {
        return prefix + key.value();
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public BlobInfo put(BlobKey key, InputStream content, long size, String contentType) throws IOException {
        try {
            s3.putObject(b -> b.bucket(bucket).key(objectKey(key)).contentType(contentType).contentLength(size),
                    RequestBody.fromInputStream(content, size));
            return new BlobInfo(key, size, contentType);
        } catch (SdkException e) {
            throw io("put", e);
        }
    }

    @Override
    public Optional<Blob> get(BlobKey key) throws IOException {
        try {
            ResponseInputStream<GetObjectResponse> in = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).build());
            GetObjectResponse r = in.response();
            return Optional.of(new Blob(new BlobInfo(key, r.contentLength(), r.contentType()), in));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw io("get", e);
        }
    }

    @Override
    public Optional<BlobInfo> stat(BlobKey key) throws IOException {
        try {
            HeadObjectResponse r = s3.headObject(b -> b.bucket(bucket).key(objectKey(key)));
            return Optional.of(new BlobInfo(key, r.contentLength(), r.contentType()));
        } catch (SdkException e) {
            if (notFound(e)) {
                return Optional.empty();
            }
            throw io("head", e);
        }
    }

    @Override
    public boolean delete(BlobKey key) throws IOException {
        // S3's delete answers the same whether or not there was an object: ask first.
        boolean existed = exists(key);
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey(key)));
        } catch (SdkException e) {
            throw io("delete", e);
        }
        return existed;
    }

    /** Content types are not part of a listing; they are null here (a {@link #stat} tells). */
    @Override
    public List<BlobInfo> list(String prefix, int limit) throws IOException {
        List<BlobInfo> out = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(this.prefix + prefix)
                        .maxKeys(Math.min(1000, limit - out.size()));
                if (token != null) {
                    req.continuationToken(token);
                }
                ListObjectsV2Response page = s3.listObjectsV2(req.build());
                for (S3Object o : page.contents()) {
                    if (out.size() < limit) {
                        out.add(new BlobInfo(new BlobKey(o.key().substring(this.prefix.length())), o.size(), null));
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null && out.size() < limit);
        } catch (SdkException e) {
            throw io("list", e);
        }
        return out;
    }

    @Override
    public URI readUrl(BlobKey key, Duration ttl) {
        var presigned = presigner.presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key(objectKey(key))));
        try {
            return presigned.url().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("presigned URL is not a URI", e);
        }
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }

    private static boolean notFound(SdkException e) {
        return e instanceof NoSuchKeyException || (e instanceof S3Exception s && s.statusCode() == 404);
    }

    private IOException io(String op, SdkException e) {
        return new IOException("S3 " + op + " in bucket " + bucket + " failed: " + e.getMessage(), e);
    }
}
