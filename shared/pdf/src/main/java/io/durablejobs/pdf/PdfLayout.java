package io.durablejobs.pdf;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** Draws blocks at the cursor: headings, wrapped paragraphs, tables that break between rows, scaled images. */
final class PdfLayout {
    static final float BODY = 11;
    private static final float LEADING = 1.35f;
    private static final float CELL_PAD = 4;

    private final PageCursor cursor;
    private final FontText text;
    private final TimeBudget budget;

    PdfLayout(PageCursor cursor, FontText text, TimeBudget budget) {
        this.cursor = cursor;
        this.text = text;
        this.budget = budget;
    }

    void heading(String s, int level) throws IOException {
        float size = switch (level) {
            case 1 -> 20;
            case 2 -> 16;
            default -> 13;
        };
        cursor.room(size * LEADING * 2); // keep a heading with at least one line after it
        cursor.down(size * 0.6f);
        lines(LineBreaker.lines(text, text.showable(s), size, cursor.width()), size);
        cursor.down(size * 0.3f);
    }

    void paragraph(String s) throws IOException {
        for (String part : s.split("\\n\\s*\\n")) {
            lines(LineBreaker.lines(text, text.showable(part), BODY, cursor.width()), BODY);
            cursor.down(BODY * 0.6f);
        }
    }

    private void lines(List<String> lines, float size) throws IOException {
        float lineHeight = size * LEADING;
        for (String line : lines) {
            budget.check("drawing text");
            PDPageContentStream s = cursor.room(lineHeight);
            cursor.down(lineHeight);
            s.beginText();
            s.setFont(text.font(), size);
            s.newLineAtOffset(cursor.left(), cursor.y() + size * 0.25f);
            s.showText(line);
            s.endText();
        }
    }

    void table(List<List<String>> rows, boolean header) throws IOException {
        int columns = rows.stream().mapToInt(List::size).max().orElse(1);
        float colWidth = cursor.width() / columns;
        float lineHeight = BODY * LEADING;
        // A row taller than a page is cut to what fits (tables are for short cells): lines past that are
        // not even broken.
        int pageLines = Math.max(1, (int) ((cursor.usableHeight() - 2 * CELL_PAD) / lineHeight));
        for (int r = 0; r < rows.size(); r++) {
            budget.check("laying out table row " + (r + 1));
            List<List<String>> cells = new ArrayList<>();
            int maxLines = 1;
            for (int c = 0; c < columns; c++) {
                String cell = c < rows.get(r).size() ? rows.get(r).get(c) : "";
                List<String> l = LineBreaker.lines(text, text.showable(cell), BODY, colWidth - 2 * CELL_PAD, pageLines);
                cells.add(l);
                maxLines = Math.max(maxLines, l.size());
            }
            float rowHeight = maxLines * lineHeight + 2 * CELL_PAD;
            PDPageContentStream s = cursor.room(rowHeight);
            float top = cursor.y();
            if (header && r == 0) {
                s.setNonStrokingColor(new Color(225, 225, 225));
                s.addRect(cursor.left(), top - rowHeight, cursor.width(), rowHeight);
                s.fill();
                s.setNonStrokingColor(Color.BLACK);
            }
            for (int c = 0; c < columns; c++) {
                float x = cursor.left() + c * colWidth;
                s.addRect(x, top - rowHeight, colWidth, rowHeight);
                s.stroke();
                List<String> l = cells.get(c);
                for (int i = 0; i < Math.min(l.size(), maxLines); i++) {
                    s.beginText();
                    s.setFont(text.font(), BODY);
                    s.newLineAtOffset(x + CELL_PAD, top - CELL_PAD - (i + 1) * lineHeight + BODY * 0.25f);
                    s.showText(l.get(i));
                    s.endText();
                }
            }
            cursor.down(rowHeight);
        }
        cursor.down(BODY * 0.6f);
    }

    void image(PDImageXObject image, Integer requestedWidth) throws IOException {
        float w = requestedWidth == null ? Math.min(cursor.width(), image.getWidth()) : Math.min(cursor.width(), requestedWidth);
        float h = w * image.getHeight() / image.getWidth();
        if (h > cursor.usableHeight()) {
            h = cursor.usableHeight();
            w = h * image.getWidth() / image.getHeight();
        }
        PDPageContentStream s = cursor.room(h);
        cursor.down(h);
        s.drawImage(image, cursor.left(), cursor.y(), w, h);
        cursor.down(BODY * 0.6f);
    }
}
