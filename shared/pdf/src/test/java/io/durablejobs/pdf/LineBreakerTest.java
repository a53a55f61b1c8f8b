package io.durablejobs.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Wrapping against the real embedded font: greedy, within the width, and linear in the text's length. */
class LineBreakerTest {
    static final float WIDTH = 483;
    private PDDocument doc;
    private FontText text;

    @BeforeEach
    void font() throws Exception {
        doc = new PDDocument();
        try (InputStream in = LineBreakerTest.class.getResourceAsStream(PdfRenderType.FONT)) {
            TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(in.readAllBytes()));
            text = new FontText(PDType0Font.load(doc, ttf, true), ttf);
        }
    }

    @AfterEach
    void close() throws Exception {
        doc.close();
    }

    float width(String s) throws Exception {
        return text.font().getStringWidth(s) / 1000f * PdfLayout.BODY;
    }

    @Test
    void words_wrapGreedily_withinTheWidth() throws Exception {
        String showable = text.showable(PdfRenderTypeTest.UNICODE + " " + PdfRenderTypeTest.longText(300));
        List<String> lines = LineBreaker.lines(text, showable, PdfLayout.BODY, WIDTH);
        assertThat(lines).hasSizeGreaterThan(10);
        assertThat(String.join(" ", lines)).isEqualTo(showable.trim().replaceAll(" +", " "));
        for (int i = 0; i < lines.size(); i++) {
            assertThat(width(lines.get(i))).isLessThanOrEqualTo(WIDTH);
            if (i + 1 < lines.size()) {
                String nextWord = lines.get(i + 1).split(" ")[0];
                assertThat(width(lines.get(i) + " " + nextWord)).as("greedy: the next word did not fit").isGreaterThan(WIDTH);
            }
        }
    }

    @Test
    void anUnbrokenWordOf240KB_isCutByWidth_inLinearTime() throws Exception {
        // Before, each line re-measured the rest of the word and each prefix: about 24 s on this input.
        String word = "x".repeat(240_000);
        long t0 = System.nanoTime();
        List<String> lines = LineBreaker.lines(text, word, PdfLayout.BODY, WIDTH);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("ms to break a 240 KB word").isLessThan(2_000);
        assertThat(String.join("", lines)).isEqualTo(word);
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertThat(width(line)).isLessThanOrEqualTo(WIDTH);
            assertThat(width(line + "x")).isGreaterThan(WIDTH);
        }
    }

    @Test
    void aWordAfterText_startsOnItsOwnLine_andSurrogatePairsAreNotSplit() throws Exception {
        String emoji = new String(Character.toChars(0x1D400)).repeat(400); // mathematical bold A, outside the BMP
        String showable = text.showable("short " + emoji);
        List<String> lines = LineBreaker.lines(text, showable, PdfLayout.BODY, WIDTH);
        assertThat(lines.get(0)).isEqualTo("short");
        for (String line : lines) {
            assertThat(Character.isHighSurrogate(line.charAt(line.length() - 1))).isFalse();
        }
    }

    @Test
    void maxLines_stopsTheWork_whereTheCallerStopsDrawing() throws Exception {
        List<String> lines = LineBreaker.lines(text, "y".repeat(200_000), PdfLayout.BODY, 40, 12);
        assertThat(lines).hasSize(12);
    }

    @Test
    void aGlyphWiderThanTheColumn_stillMakesProgress() throws Exception {
        assertThat(LineBreaker.lines(text, "WWW", PdfLayout.BODY, 1)).containsExactly("W", "W", "W");
    }
}
