package io.durablejobs.pdf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Greedy word wrapping to a width; a word wider than a whole line is broken between characters.
 *
 * <p>Linear in the text: every glyph's width is looked up once (cached per character by {@link FontText})
 * and added to a running line width, so nothing is measured twice. Measuring ever-growing prefixes of an
 * unbroken word instead is quadratic: a 240 KB word took most of a minute. {@code maxLines} stops the work
 * where the caller stops drawing (a table row is cut at a page's height).
 */
final class LineBreaker {
    private LineBreaker() {
    }

    static List<String> lines(FontText text, String showable, float size, float width) throws IOException {
        return lines(text, showable, size, width, Integer.MAX_VALUE);
    }

    static List<String> lines(FontText text, String showable, float size, float width, int maxLines) throws IOException {
        // Widths in font units (1/1000 em) so the sums match PDFont.getStringWidth exactly.
        float limit = width * 1000f / size;
        float space = text.glyphWidth(' ');
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        float lineWidth = 0;
        int n = showable.length();
        int i = 0;
        while (i < n && lines.size() < maxLines) {
            while (i < n && showable.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int end = showable.indexOf(' ', i);
            if (end < 0) {
                end = n;
            }
            float wordWidth = 0;
            for (int j = i; j < end; ) {
                int cp = showable.codePointAt(j);
                wordWidth += text.glyphWidth(cp);
                j += Character.charCount(cp);
            }
            if (line.length() > 0 && lineWidth + space + wordWidth <= limit) {
                line.append(' ').append(showable, i, end);
                lineWidth += space + wordWidth;
            } else {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                    lineWidth = 0;
                }
                if (wordWidth <= limit) {
                    line.append(showable, i, end);
                    lineWidth = wordWidth;
                } else {
                    // The word alone is wider than a line: cut it where the next glyph would overflow,
                    // at least one glyph a line so a glyph wider than the column still makes progress.
                    for (int j = i; j < end && lines.size() < maxLines; ) {
                        int cp = showable.codePointAt(j);
                        float w = text.glyphWidth(cp);
                        if (line.length() > 0 && lineWidth + w > limit) {
                            lines.add(line.toString());
                            line.setLength(0);
                            lineWidth = 0;
                        }
                        line.appendCodePoint(cp);
                        lineWidth += w;
                        j += Character.charCount(cp);
                    }
                }
            }
            i = end;
        }
        if (line.length() > 0 && lines.size() < maxLines) {
            lines.add(line.toString());
        }
        return lines;
    }
}
