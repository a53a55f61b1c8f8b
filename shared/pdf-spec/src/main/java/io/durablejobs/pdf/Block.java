package io.durablejobs.pdf;

import java.util.List;

/** One block of a document, laid out top to bottom in order. */
public sealed interface Block {

    /** Level 1 (largest) to 3. */
    record Heading(String text, int level) implements Block {
    }

    /** Wraps at word boundaries and across pages; blank lines in the text start new paragraphs. */
    record Paragraph(String text) implements Block {
    }

    /** Equal-width columns; the first row is drawn as a header when {@code header} is true. */
    record Table(List<List<String>> rows, boolean header) implements Block {
    }

    /** A PNG or JPEG blob of the job's tenant, scaled to {@code width} points (default: the text width). */
    record Image(String blob, Integer width) implements Block {
    }
}
