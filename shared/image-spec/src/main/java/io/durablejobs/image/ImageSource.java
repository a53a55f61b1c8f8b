package io.durablejobs.image;

import java.net.URI;

/** Where the input image comes from. */
public sealed interface ImageSource {

    /** Fetched over https through the SSRF guard (http only where private networks are allowed). */
    record Url(URI uri) implements ImageSource {
    }

    /** Inline in the payload: small images only, within the API's request size limit. */
    record Inline(byte[] bytes) implements ImageSource {
    }

    /** A blob of the job's own tenant, by tenant-relative key. */
    record Blob(String key) implements ImageSource {
    }
}
