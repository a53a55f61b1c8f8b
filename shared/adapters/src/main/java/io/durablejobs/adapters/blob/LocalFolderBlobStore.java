package io.durablejobs.adapters.blob;

import io.durablejobs.core.blob.Blob;
import io.durablejobs.core.blob.BlobInfo;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.blob.BlobRoutes;
import io.durablejobs.core.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Blobs as files under one folder: {@code <root>/<tenant>/<path>}, with the content type beside them under
 * {@code <root>/.meta/}. Writes go to a temporary file and are moved into place, so a reader never sees
 * half a blob and a retried job's output replaces the earlier one whole.
 *
 * <p>Path traversal is impossible twice over: {@link BlobKey} admits no {@code ..}, empty or dot-leading
 * segment, and every resolved path is checked to stay inside the root. Read URLs point at the local host's
 * {@code /v1/blobs/} route, which only the key's tenant can call.
 */
public final class LocalFolderBlobStore implements BlobStore {
    private static final String META = ".meta";

    private final Path root;
    private final URI baseUrl;

    public LocalFolderBlobStore(Path root, URI baseUrl) {
        this.root = root.toAbsolutePath().normalize();
        String base = baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    public Path root() {
        return root;
    }

    @Override
    public String kind() {
        return "local";
    }

    @Override
    public BlobInfo put(BlobKey key, InputStream content, long size, String contentType) throws IOException {
        Path file = inside(key.value());
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(".tmp-" + UUID.randomUUID());
        try {
            long copied;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                copied = copy(content, out, size);
            }
            if (copied != size) {
                throw new IOException("expected " + size + " bytes, got " + copied);
            }
            Path meta = inside(META + "/" + key.value());
            Files.createDirectories(meta.getParent());
            Path metaTmp = meta.resolveSibling(".tmp-" + UUID.randomUUID());
            Files.writeString(metaTmp, contentType, StandardCharsets.UTF_8);
            Files.move(metaTmp, meta, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return new BlobInfo(key, size, contentType);
    }

    private static long copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        while (total < size) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - total));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            total += n;
        }
        return total;
    }

    @Override
    public Optional<Blob> get(BlobKey key) throws IOException {
        Optional<BlobInfo> info = stat(key);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Blob(info.get(), Files.newInputStream(inside(key.value()))));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted in between
        }
    }

    @Override
    public Optional<BlobInfo> stat(BlobKey key) throws IOException {
        Path file = inside(key.value());
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BlobInfo(key, Files.size(file), contentType(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private String contentType(BlobKey key) throws IOException {
        Path meta = inside(META + "/" + key.value());
        try {
            return Files.readString(meta, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "application/octet-stream";
        }
    }

    @Override
    public boolean delete(BlobKey key) throws IOException {
        Files.deleteIfExists(inside(META + "/" + key.value()));
        return Files.deleteIfExists(inside(key.value()));
    }

    @Override
    public List<BlobInfo> list(String prefix, int limit) throws IOException {
        int slash = prefix.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("a prefix starts with <tenant>/");
        }
        String dirPart = prefix.substring(0, slash);
        new BlobKey(dirPart + "/x"); // validates the folder part: a tenant, no traversal
        Path dir = inside(dirPart);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(k -> k.startsWith(prefix) && !k.substring(k.lastIndexOf('/') + 1).startsWith("."))
                    .forEach(keys::add);
        }
        keys.sort(null);
        List<BlobInfo> out = new ArrayList<>();
        for (String k : keys) {
            if (out.size() >= limit) {
                break;
            }
            stat(new BlobKey(k)).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public URI readUrl(BlobKey key, Duration ttl) {
        return URI.create(baseUrl + BlobRoutes.PREFIX + key.relative());
    }

    @Override
    public boolean servedThroughApi() {
        return true;
    }

    /** The path of {@code relative} under the root, refusing anything that would leave it. */
    private Path inside(String relative) throws IOException {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IOException("blob path escapes the blob folder");
        }
        return p;
    }
}
