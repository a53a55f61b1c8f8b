package io.durablejobs.core.blob;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A blob store in a map, for unit tests of job types and routes; served through the API like the local one. */
public class InMemoryBlobStore implements BlobStore {
    private record Entry(byte[] bytes, String contentType) {
    }

    private final ConcurrentSkipListMap<String, Entry> blobs = new ConcurrentSkipListMap<>();

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public BlobInfo put(BlobKey key, InputStream content, long size, String contentType) throws IOException {
        byte[] bytes = content.readNBytes((int) size);
        if (bytes.length != size) {
            throw new IOException("expected " + size + " bytes, got " + bytes.length);
        }
        blobs.put(key.value(), new Entry(bytes, contentType));
        return new BlobInfo(key, size, contentType);
    }

    public void put(BlobKey key, byte[] bytes, String contentType) throws IOException {
        put(key, new ByteArrayInputStream(bytes), bytes.length, contentType);
    }

    public byte[] bytes(BlobKey key) {
        Entry e = blobs.get(key.value());
        return e == null ? null : e.bytes();
    }

    @Override
    public Optional<Blob> get(BlobKey key) {
        Entry e = blobs.get(key.value());
        return e == null ? Optional.empty()
                : Optional.of(new Blob(new BlobInfo(key, e.bytes().length, e.contentType()), new ByteArrayInputStream(e.bytes())));
    }

    @Override
    public Optional<BlobInfo> stat(BlobKey key) {
        return get(key).map(Blob::info);
    }

    @Override
    public boolean delete(BlobKey key) {
        return blobs.remove(key.value()) != null;
    }

    @Override
    public List<BlobInfo> list(String prefix, int limit) {
        return blobs.tailMap(prefix).entrySet().stream().takeWhile(e -> e.getKey().startsWith(prefix)).limit(limit)
                .map(e -> new BlobInfo(new BlobKey(e.getKey()), e.getValue().bytes().length, e.getValue().contentType())).toList();
    }

    @Override
    public URI readUrl(BlobKey key, Duration ttl) {
        return URI.create("http://api.test" + BlobRoutes.PREFIX + key.relative());
    }

    @Override
    public boolean servedThroughApi() {
        return true;
    }
}
