package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code PUT /v1/blobs/{key}}: the blob is stored under the tenant's {@code key}; {@code created} false when it replaced one. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlobStored(String key, long bytes, String contentType, boolean created) {
}
