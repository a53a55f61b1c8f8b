package io.durablejobs.core.blob;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a blob lives: {@code <tenant>/<path>}. Every key starts with its tenant, so a tenant can only ever
 * name its own blobs: payloads and URLs carry the tenant-relative part and the platform puts the tenant in
 * front. Segments are {@code [A-Za-z0-9._-]}, never {@code .} or {@code ..} nor starting with a dot, so a
 * key is also a safe relative file path and a safe S3 key.
 */
public record BlobKey(String value) {
    public static final int MAX_LENGTH = 512;
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$");
    private static final Pattern TENANT = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");

    public BlobKey {
        Objects.requireNonNull(value, "value");
        String problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException("invalid blob key: " + problem);
        }
        if (value.indexOf('/') < 0) {
            throw new IllegalArgumentException("invalid blob key: needs <tenant>/<path>");
        }
        if (!TENANT.matcher(value.substring(0, value.indexOf('/'))).matches()) {
            throw new IllegalArgumentException("invalid blob key: bad tenant");
        }
    }

    /** {@code tenant} followed by a tenant-relative path such as {@code jobs/abc/output.png}. */
    public static BlobKey of(String tenant, String relative) {
        String problem = problemWith(relative);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new BlobKey(tenant + "/" + relative);
    }

    /**
     * Why {@code relative} cannot be a (tenant-relative) key, or null when it can. Used to validate payloads
     * at submit time with a message that can go back to the client.
     */
    public static String problemWith(String relative) {
        if (relative == null || relative.isEmpty()) {
            return "must not be empty";
        }
        if (relative.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        for (String segment : relative.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches()) {
                return "must be '/'-separated segments of letters, digits, '.', '_' or '-', not starting with '.'";
            }
        }
        return null;
    }

    public String tenant() {
        return value.substring(0, value.indexOf('/'));
    }

    /** The part after the tenant, as a client names it. */
    public String relative() {
        return value.substring(value.indexOf('/') + 1);
    }

    /** The file name part, after the last '/'. */
    public String name() {
        return value.substring(value.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return value;
    }
}
