package io.durablejobs.pdf;

import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/** Where the next block goes: the current A4 page, its content stream, and the y position; new pages on demand. */
final class PageCursor implements AutoCloseable {
    static final float MARGIN = 56;
    private static final PDRectangle SIZE = PDRectangle.A4;

    private final PDDocument doc;
    private final int maxPages;
    private PDPageContentStream stream;
    private float y;
    private int pages;

    PageCursor(PDDocument doc, int maxPages) {
        this.doc = doc;
        this.maxPages = maxPages;
    }

    float left() {
        return MARGIN;
    }

    float width() {
        return SIZE.getWidth() - 2 * MARGIN;
    }

    float usableHeight() {
        return SIZE.getHeight() - 2 * MARGIN;
    }

    float y() {
        return y;
    }

    void down(float by) {
        y -= by;
    }

    int pages() {
        return pages;
    }

    /** The content stream of a page with at least {@code height} points left (a new page if needed). */
    PDPageContentStream room(float height) throws IOException {
        if (stream == null || y - height < MARGIN) {
            newPage();
        }
        return stream;
    }

    void newPage() throws IOException {
        if (pages >= maxPages) {
            throw new PageLimitException(maxPages);
        }
        if (stream != null) {
            stream.close();
        }
        PDPage page = new PDPage(SIZE);
        doc.addPage(page);
        pages++;
        stream = new PDPageContentStream(doc, page);
        y = SIZE.getHeight() - MARGIN;
    }

    @Override
    public void close() throws IOException {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }
}
