package io.durablejobs.core.blob;

/** What is known about a stored blob without reading it. */
public record BlobInfo(BlobKey key, long size, String contentType) {
}
