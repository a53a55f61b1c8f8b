package io.durablejobs.core.blob;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads a stream into memory once, refusing to go past a limit (a source larger than a job may take). */
public final class BoundedBytes {
    private BoundedBytes() {
    }

    /**
     * @throws TooLargeException as soon as more than {@code max} bytes arrive (the rest is not read)
     */
    public static byte[] read(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > max) {
                throw new TooLargeException(max);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** More bytes than allowed; a permanent property of the input. */
    public static final class TooLargeException extends IOException {
        private final long limit;

        public TooLargeException(long limit) {
            super("more than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
