package io.durablejobs.pdf;

import io.durablejobs.core.blob.BlobStores;
import io.durablejobs.core.config.Settings;
import java.time.Duration;
import java.util.Map;

/** The worker's limits for {@code pdf.render}, read once at start. */
public record PdfSettings(int maxBlocks, int maxPages, long maxImageBytes, long maxTotalImageBytes, Duration urlTtl) {
    public static final String MAX_BLOCKS = "JOBS_PDF_MAX_BLOCKS";
    public static final String MAX_PAGES = "JOBS_PDF_MAX_PAGES";
    public static final String MAX_IMAGE_BYTES = "JOBS_PDF_MAX_IMAGE_BYTES";
    public static final String MAX_TOTAL_IMAGE_BYTES = "JOBS_PDF_MAX_TOTAL_IMAGE_BYTES";
    public static final int DEFAULT_MAX_BLOCKS = PdfRenderSpec.DEFAULT_MAX_BLOCKS;
    public static final int DEFAULT_MAX_PAGES = 200;

    public static PdfSettings from(Map<String, String> env) {
        Settings s = new Settings(env);
        int blocks = s.integer(MAX_BLOCKS, DEFAULT_MAX_BLOCKS, 1, 100_000);
        int pages = s.integer(MAX_PAGES, DEFAULT_MAX_PAGES, 1, 10_000);
        long image = s.integer(MAX_IMAGE_BYTES, 10 * 1024 * 1024, 1024, 256 * 1024 * 1024);
        long total = s.integer(MAX_TOTAL_IMAGE_BYTES, 50 * 1024 * 1024, 1024, 1024 * 1024 * 1024);
        Duration ttl = BlobStores.urlTtl(env);
        s.check();
        return new PdfSettings(blocks, pages, image, total, ttl);
    }
}
