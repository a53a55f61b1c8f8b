package io.durablejobs.pdf;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * Text as the embedded font can show it: characters it has no glyph for become {@code ?} (instead of
 * failing the render), control characters become spaces, and widths are measured in points. Not shared
 * between threads: one per render.
 */
final class FontText {
    private final PDFont font;
    private final CmapLookup cmap;
    private final Map<Integer, Boolean> covered = new HashMap<>();
    private final Map<Integer, Float> widths = new HashMap<>();

    FontText(PDFont font, TrueTypeFont ttf) throws IOException {
        this.font = font;
        this.cmap = ttf.getUnicodeCmapLookup();
    }

    PDFont font() {
        return font;
    }

    String showable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
                out.append(' ');
            } else if (covered.computeIfAbsent(cp, this::hasGlyph)) {
                out.appendCodePoint(cp);
            } else {
                out.append('?');
            }
        });
        return out.toString();
    }

    /** Whether the font's Unicode cmap maps the character to a real glyph (0 is .notdef, an empty box). */
    private boolean hasGlyph(int cp) {
        return cmap.getGlyphId(cp) > 0;
    }

    /** The advance of one showable character in font units (1/1000 em), measured once per character. */
    float glyphWidth(int cp) throws IOException {
        Float w = widths.get(cp);
        if (w == null) {
            w = font.getStringWidth(Character.toString(cp));
            widths.put(cp, w);
        }
        return w;
    }
}
