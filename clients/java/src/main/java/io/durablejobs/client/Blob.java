package io.durablejobs.client;

/** A blob as {@code GET /v1/blobs/{key}} served it (or the presigned URL it redirected to). */
public record Blob(String key, String contentType, byte[] content) {
}
