package io.durablejobs.aws;

import io.durablejobs.core.dlq.AuditEntry;
import io.durablejobs.core.dlq.DeadLetter;
import io.durablejobs.core.dlq.DeadLetterCursor;
import io.durablejobs.core.dlq.DeadLetterJson;
import io.durablejobs.core.dlq.DeadLetterPage;
import io.durablejobs.core.dlq.DeadLetterQuery;
import io.durablejobs.core.dlq.DeadLetterStore;
import io.durablejobs.core.dlq.DeadLetterStoreUnavailableException;
import io.durablejobs.core.dlq.DlqDepth;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Dead letters in S3: one object per dead job, and an index of empty objects whose keys sort newest first
 * (S3 lists keys in ascending order; the key starts with the inverted time), so a page is one LIST plus one
 * GET per item, and a cursor is simply the last key ({@code start-after}).
 * <pre>
 *   &lt;prefix&gt;&lt;ns&gt;/records/t-&lt;tenant&gt;/&lt;jobId&gt;.json                 the record
 *   &lt;prefix&gt;&lt;ns&gt;/index/t-&lt;tenant&gt;/all/&lt;inverted ms&gt;-&lt;jobId&gt;      listing, any type
 *   &lt;prefix&gt;&lt;ns&gt;/index/t-&lt;tenant&gt;/type=&lt;type&gt;/&lt;inverted ms&gt;-&lt;jobId&gt;
 *   &lt;prefix&gt;&lt;ns&gt;/depth/&lt;ms&gt;-t-&lt;tenant&gt;-&lt;jobId&gt;                   oldest first, for depth and age
 *   &lt;prefix&gt;&lt;ns&gt;/audit/t-&lt;tenant&gt;/&lt;inverted ms&gt;-&lt;uuid&gt;.json       one object per admin action
 * </pre>
 * The record is written before its index entries and the index after it is removed, so a crash in between
 * leaves an unlisted record (the DLQ consumer's redelivery writes the index again), never a listed ghost;
 * an index entry whose record is gone or no longer dead is skipped and cleaned when listed.
 */
public final class S3DeadLetterStore implements DeadLetterStore {
    private static final Pattern SAFE = Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$");

    private final S3Client s3;
    private final String bucket;
    private final String root;

    public S3DeadLetterStore(S3Client s3, String bucket, String prefix, String namespace) {
        this.s3 = s3;
        this.bucket = bucket;
        this.root = (prefix == null ? "" : prefix) + namespace + "/";
    }

    public String bucket() {
        return bucket;
    }

    private static String t(String tenant) {
        return "t-" + URLEncoder.encode(tenant, StandardCharsets.UTF_8);
    }

    private static String id(String jobId) {
        return SAFE.matcher(jobId).matches() ? jobId : "h-" + sha256(jobId);
    }

    private String recordKey(String tenant, String jobId) {
        return root + "records/" + t(tenant) + "/" + id(jobId) + ".json";
    }

    private String indexPrefix(String tenant, String type) {
        return root + "index/" + t(tenant) + "/" + (type == null ? "all" : "type=" + URLEncoder.encode(type, StandardCharsets.UTF_8)) + "/";
    }

    private List<String> indexKeys(DeadLetter d) {
        String suffix = DeadLetterCursor.invertedMillis(d.deadLetteredAt().toEpochMilli()) + "-" + id(d.jobId());
        return List.of(indexPrefix(d.tenant(), null) + suffix, indexPrefix(d.tenant(), d.type()) + suffix,
                root + "depth/" + String.format("%019d", d.deadLetteredAt().toEpochMilli()) + "-" + t(d.tenant()) + "-" + id(d.jobId()));
    }

    @Override
    public void put(DeadLetter record) {
        try {
            Optional<DeadLetter> old = find(record.tenant(), record.jobId());
            s3.putObject(b -> b.bucket(bucket).key(recordKey(record.tenant(), record.jobId())).contentType("application/json"),
                    RequestBody.fromBytes(DeadLetterJson.bytes(record)));
            List<String> keep = record.state() == DeadLetter.State.DEAD ? indexKeys(record) : List.of();
            if (old.isPresent()) {
                for (String k : indexKeys(old.get())) {
                    if (!keep.contains(k)) {
                        s3.deleteObject(b -> b.bucket(bucket).key(k));
                    }
                }
            }
            for (String k : keep) {
                s3.putObject(b -> b.bucket(bucket).key(k), RequestBody.empty());
            }
        } catch (SdkException e) {
            throw unavailable("put", e);
        }
    }

    @Override
    public Optional<DeadLetter> find(String tenant, String jobId) {
        return read(recordKey(tenant, jobId)).filter(d -> d.tenant().equals(tenant) && d.jobId().equals(jobId));
    }

    private Optional<DeadLetter> read(String key) {
        try {
            return Optional.of(DeadLetterJson.parse(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw unavailable("get", e);
        } catch (SdkException e) {
            throw unavailable("get", e);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public DeadLetterPage list(DeadLetterQuery q) {
        String prefix = indexPrefix(q.tenant(), q.type());
        String startAfter = null;
        if (q.cursor() != null) {
            startAfter = prefix + DeadLetterCursor.invertedMillis(q.cursor().epochMillis()) + "-" + id(q.cursor().jobId());
        }
        if (q.before() != null) {
            // Entries at exactly `before` are excluded: '.' sorts after the '-' that follows the time.
            String b = prefix + DeadLetterCursor.invertedMillis(q.before().toEpochMilli()) + ".";
            startAfter = startAfter == null || b.compareTo(startAfter) > 0 ? b : startAfter;
        }
        List<DeadLetter> items = new ArrayList<>();
        String token = null;
        try {
            do {
                ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(Math.max(q.limit() + 1, 10));
                if (token != null) {
                    req.continuationToken(token);
                } else if (startAfter != null) {
                    req.startAfter(startAfter);
                }
                ListObjectsV2Response page = s3.listObjectsV2(req.build());
                for (S3Object o : page.contents()) {
                    if (items.size() > q.limit()) {
                        break;
                    }
                    String suffix = o.key().substring(prefix.length());
                    String storedId = suffix.substring(suffix.indexOf('-') + 1);
                    Optional<DeadLetter> d = read(root + "records/" + t(q.tenant()) + "/" + storedId + ".json")
                            .filter(r -> r.tenant().equals(q.tenant()));
                    if (d.isPresent() && new DeadLetterQuery(q.tenant(), q.type(), q.reason(), q.before(), q.limit(), null).matches(d.get())
                            && indexKeys(d.get()).contains(o.key())) {
                        items.add(d.get());
                    } else if (d.isEmpty() || d.get().state() != DeadLetter.State.DEAD || !indexKeys(d.get()).contains(o.key())) {
                        s3.deleteObject(b -> b.bucket(bucket).key(o.key()));
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) && items.size() <= q.limit() ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw unavailable("list", e);
        }
        List<DeadLetter> page = items.subList(0, Math.min(q.limit(), items.size()));
        return new DeadLetterPage(page, items.size() > q.limit() ? DeadLetterCursor.of(page.get(page.size() - 1)) : null);
    }

    @Override
    public boolean delete(String tenant, String jobId) {
        Optional<DeadLetter> d = find(tenant, jobId);
        if (d.isEmpty()) {
            return false;
        }
        try {
            for (String k : indexKeys(d.get())) {
                s3.deleteObject(b -> b.bucket(bucket).key(k));
            }
            s3.deleteObject(b -> b.bucket(bucket).key(recordKey(tenant, jobId)));
            return true;
        } catch (SdkException e) {
            throw unavailable("delete", e);
        }
    }

    @Override
    public DlqDepth depth() {
        String prefix = root + "depth/";
        long count = 0;
        Instant oldest = null;
        String token = null;
        try {
            do {
                ListObjectsV2Request.Builder req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix);
                if (token != null) {
                    req.continuationToken(token);
                }
                ListObjectsV2Response page = s3.listObjectsV2(req.build());
                for (S3Object o : page.contents()) {
                    if (oldest == null) {
                        oldest = Instant.ofEpochMilli(Long.parseLong(o.key().substring(prefix.length(), prefix.length() + 19)));
                    }
                    count++;
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw unavailable("depth", e);
        }
        return new DlqDepth(count, oldest);
    }

    @Override
    public void audit(AuditEntry e) {
        String key = root + "audit/" + t(e.tenant()) + "/" + DeadLetterCursor.invertedMillis(e.at().toEpochMilli()) + "-" + UUID.randomUUID()
                + ".json";
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(DeadLetterJson.bytes(e)));
        } catch (SdkException ex) {
            throw unavailable("audit", ex);
        }
    }

    @Override
    public List<AuditEntry> audits(String tenant, int limit) {
        try {
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(root + "audit/" + t(tenant) + "/").maxKeys(limit));
            List<AuditEntry> out = new ArrayList<>();
            for (S3Object o : page.contents()) {
                out.add(DeadLetterJson.parseAudit(s3.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray()));
            }
            return out;
        } catch (SdkException e) {
            throw unavailable("audit list", e);
        }
    }

    @Override
    public String kind() {
        return "s3";
    }

    @Override
    public void close() {
        s3.close();
    }

    private DeadLetterStoreUnavailableException unavailable(String op, SdkException e) {
        return new DeadLetterStoreUnavailableException("S3 " + op + " in bucket " + bucket + " failed: " + e.getMessage(), e);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
