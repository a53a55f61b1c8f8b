package io.durablejobs.pdf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.blob.Blob;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.blob.BlobStore;
import io.durablejobs.core.blob.BlobStores;
import io.durablejobs.core.blob.BoundedBytes;
import io.durablejobs.core.blob.OutputKeys;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pdf.render}: lays a document of headings, paragraphs, tables and blob images out on A4 pages with
 * the embedded DejaVu Sans (subset), and writes the PDF to the blob store under a key derived from the job
 * id. PDFBox keeps its buffers in temporary files and the PDF is saved to one before upload, so memory is
 * bounded by the images, not the page count. See the module README.
 */
public final class PdfRenderType extends PdfRenderSpec {
    static final String FONT = "/io/durablejobs/pdf/fonts/DejaVuSans.ttf";
    private static final Logger LOG = LoggerFactory.getLogger(PdfRenderType.class);

    private final BlobStore givenStore;
    private volatile Started started;

    private record Started(PdfSettings settings, BlobStore store, byte[] font, boolean ownsStore) {
    }

    /** Cheap and settings-free: the submit function constructs every type only to call {@link #validate}. */
    public PdfRenderType() {
        this(null);
    }

    /** For tests and embedding: a given blob store instead of the configured one. */
    public PdfRenderType(BlobStore store) {
        this.givenStore = store;
    }

    @Override
    public synchronized void start(Map<String, String> env) {
        if (started != null) {
            throw new IllegalStateException(NAME + " is already started");
        }
        PdfSettings settings = PdfSettings.from(env);
        byte[] font;
        try (InputStream in = PdfRenderType.class.getResourceAsStream(FONT)) {
            if (in == null) {
                throw new IllegalStateException("font resource missing: " + FONT);
            }
            font = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BlobStore store = givenStore != null ? givenStore : BlobStores.open(env);
        started = new Started(settings, store, font, givenStore == null);
        LOG.info("{} started: store={} {}", NAME, store.kind(), settings);
    }

    @Override
    public Outcome handle(JobContext ctx) throws IOException {
        Started s = started;
        if (s == null) {
            throw new IllegalStateException(NAME + ": start() was not called");
        }
        JsonNode blocksNode = ctx.payload().path("document").path("blocks");
        if (blocksNode.isArray() && blocksNode.size() > s.settings().maxBlocks()) {
            return Outcome.deadLetter(PdfReasons.TOO_MANY_BLOCKS, blocksNode.size() + " blocks, the limit is " + s.settings().maxBlocks());
        }
        PdfPayload payload;
        try {
            payload = PdfPayload.from(ctx.payload(), s.settings().maxBlocks());
        } catch (IllegalArgumentException e) {
            return Outcome.deadLetter(PdfReasons.INVALID_PAYLOAD, e.getMessage());
        }
        long t0 = System.nanoTime();
        Map<String, byte[]> images = new HashMap<>();
        Optional<Outcome> refused = loadImages(s, ctx.tenant(), payload.blocks(), images);
        if (refused.isPresent()) {
            return refused.get();
        }
        TimeBudget budget = TimeBudget.until(ctx.deadline());
        Path file = Files.createTempFile("pdf-render-", ".pdf");
        try {
            int pages;
            try (PDDocument doc = new PDDocument(IOUtils.createTempFileOnlyStreamCache())) {
                doc.getDocumentInformation().setTitle(payload.title());
                doc.getDocumentInformation().setCreator("durable-jobs pdf.render");
                TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(s.font()));
                PDType0Font font = PDType0Font.load(doc, ttf, true);
                try (PageCursor cursor = new PageCursor(doc, s.settings().maxPages())) {
                    PdfLayout layout = new PdfLayout(cursor, new FontText(font, ttf), budget);
                    layout.heading(payload.title(), 1);
                    for (Block b : payload.blocks()) {
                        budget.check("starting a block");
                        Optional<Outcome> bad = draw(doc, layout, b, images);
                        if (bad.isPresent()) {
                            return bad.get();
                        }
                    }
                    pages = cursor.pages();
                } catch (PageLimitException e) {
                    return Outcome.deadLetter(PdfReasons.TOO_MANY_PAGES, e.getMessage());
                }
                images.clear();
                budget.check("about to save");
                try (OutputStream out = Files.newOutputStream(file)) {
                    doc.save(out);
                }
            }
            budget.check("about to upload");
            long size = Files.size(file);
            BlobKey key = OutputKeys.resolve(ctx.tenant(), ctx.jobId(), payload.outputBlob(), "pdf");
            try (InputStream in = Files.newInputStream(file)) {
                s.store().put(key, in, size, "application/pdf");
            }
            ObjectNode result = Json.MAPPER.createObjectNode();
            result.putObject("output").put("blob", key.relative()).put("url", s.store().readUrl(key, s.settings().urlTtl()).toString());
            result.put("pages", pages);
            result.put("bytes", size);
            result.put("contentType", "application/pdf");
            LOG.info("pdf rendered jobId={} tenant={} attempt={} blocks={} pages={} bytes={} ms={}", ctx.jobId(), ctx.tenant(),
                    ctx.attempt(), payload.blocks().size(), pages, size, (System.nanoTime() - t0) / 1_000_000);
            return Outcome.succeeded(result);
        } catch (TimeBudget.Exceeded e) {
            LOG.info("pdf render stopped jobId={} tenant={} attempt={} reason={} ms={}", ctx.jobId(), ctx.tenant(), ctx.attempt(),
                    PdfReasons.TIME_BUDGET_EXCEEDED, (System.nanoTime() - t0) / 1_000_000);
            return overBudget(ctx.attempt(), e.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Out of time: retried while attempts remain (the budget may have been short because the job ran late in
     * its batch), dead-lettered with its own reason on the last one, so a document that can never render in
     * time ends as {@code time_budget_exceeded} rather than as a batch-wide timeout.
     */
    Outcome overBudget(int attempt, String message) {
        if (retryPolicy().mayRetryAfter(attempt)) {
            return Outcome.retry(PdfReasons.TIME_BUDGET_EXCEEDED + ": " + message);
        }
        return Outcome.deadLetter(PdfReasons.TIME_BUDGET_EXCEEDED, message);
    }

    private static Optional<Outcome> draw(PDDocument doc, PdfLayout layout, Block b, Map<String, byte[]> images) throws IOException {
        if (b instanceof Block.Heading h) {
            layout.heading(h.text(), h.level());
        } else if (b instanceof Block.Paragraph p) {
            layout.paragraph(p.text());
        } else if (b instanceof Block.Table t) {
            layout.table(t.rows(), t.header());
        } else if (b instanceof Block.Image i) {
            PDImageXObject image;
            try {
                image = PDImageXObject.createFromByteArray(doc, images.get(i.blob()), i.blob());
            } catch (IOException | IllegalArgumentException e) {
                return Optional.of(Outcome.deadLetter(PdfReasons.INVALID_IMAGE, "image " + i.blob() + " is not a PNG or JPEG PDFBox can embed"));
            }
            layout.image(image, i.width());
        }
        return Optional.empty();
    }

    /** Reads every image blob once, within the per-image and total limits. */
    private static Optional<Outcome> loadImages(Started s, String tenant, List<Block> blocks, Map<String, byte[]> into) throws IOException {
        long total = 0;
        for (Block b : blocks) {
            if (!(b instanceof Block.Image i) || into.containsKey(i.blob())) {
                continue;
            }
            Optional<Blob> blob = s.store().get(BlobKey.of(tenant, i.blob()));
            if (blob.isEmpty()) {
                return Optional.of(Outcome.deadLetter(PdfReasons.IMAGE_NOT_FOUND, "no blob " + i.blob()));
            }
            byte[] bytes;
            try (Blob open = blob.get()) {
                bytes = BoundedBytes.read(open.content(), s.settings().maxImageBytes());
            } catch (BoundedBytes.TooLargeException e) {
                return Optional.of(Outcome.deadLetter(PdfReasons.IMAGE_TOO_LARGE, "image " + i.blob() + " is over "
                        + s.settings().maxImageBytes() + " bytes"));
            }
            total += bytes.length;
            if (total > s.settings().maxTotalImageBytes()) {
                return Optional.of(Outcome.deadLetter(PdfReasons.IMAGE_TOO_LARGE, "images together are over "
                        + s.settings().maxTotalImageBytes() + " bytes"));
            }
            into.put(i.blob(), bytes);
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        Started s = started;
        started = null;
        if (s != null && s.ownsStore()) {
            s.store().close();
        }
    }
}
