package io.durablejobs.core.blob;

import java.io.IOException;
import java.io.InputStream;

/** An open blob: its facts and its content, read once as a stream. Close it. */
public record Blob(BlobInfo info, InputStream content) implements AutoCloseable {

    @Override
    public void close() throws IOException {
        content.close();
    }
}
