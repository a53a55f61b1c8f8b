package io.durablejobs.pdf;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.type.FieldError;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code pdf.render} payload: {@code {"document": {"title", "blocks": [...]}, "output"?: {"blob"}}}.
 * Blocks: {@code {"type":"heading","text","level"?}}, {@code {"type":"paragraph","text"}},
 * {@code {"type":"table","rows":[["a","b"],...],"header"?}}, {@code {"type":"image","blob","width"?}}.
 * The per-block limits bound a render's work by the payload's shape, not only its byte size, and are
 * refused at submit with the field that breaks them.
 */
public record PdfPayload(String title, List<Block> blocks, String outputBlob) {
    public static final int MAX_TITLE = 500;
    public static final int MAX_TABLE_COLUMNS = 20;
    /** A heading is a line or two: longer text belongs in a paragraph. */
    public static final int MAX_HEADING = 500;
    /** About 30 pages of body text; split longer text into several paragraph blocks. */
    public static final int MAX_PARAGRAPH = 100_000;
    /** A cell longer than this cannot be shown anyway: a row is cut at one page's height. */
    public static final int MAX_CELL = 2_000;
    /** Rows × columns of one table. */
    public static final int MAX_TABLE_CELLS = 5_000;

    public static List<FieldError> validate(JsonNode payload, int maxBlocks) {
        List<FieldError> errors = new ArrayList<>();
        parse(payload, maxBlocks, errors);
        return errors;
    }

    /** @throws IllegalArgumentException naming the first problem */
    public static PdfPayload from(JsonNode payload, int maxBlocks) {
        List<FieldError> errors = new ArrayList<>();
        PdfPayload p = parse(payload, maxBlocks, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(errors.get(0).field() + ": " + errors.get(0).message());
        }
        return p;
    }

    private static PdfPayload parse(JsonNode p, int maxBlocks, List<FieldError> errors) {
        if (p == null || !p.isObject()) {
            errors.add(new FieldError("payload", "must be an object"));
            return null;
        }
        JsonNode doc = p.get("document");
        if (doc == null || !doc.isObject()) {
            errors.add(new FieldError("payload.document", "must be an object with title and blocks"));
            return null;
        }
        JsonNode t = doc.get("title");
        if (t == null || !t.isTextual() || t.asText().isBlank() || t.asText().length() > MAX_TITLE) {
            errors.add(new FieldError("payload.document.title", "must be a non-empty string of at most " + MAX_TITLE + " characters"));
        }
        JsonNode bs = doc.get("blocks");
        List<Block> blocks = new ArrayList<>();
        if (bs == null || !bs.isArray()) {
            errors.add(new FieldError("payload.document.blocks", "must be an array"));
        } else if (bs.size() > maxBlocks) {
            errors.add(new FieldError("payload.document.blocks", "must have at most " + maxBlocks + " blocks"));
        } else {
            for (int i = 0; i < bs.size(); i++) {
                Block b = block(bs.get(i), "payload.document.blocks[" + i + "]", errors);
                if (b != null) {
                    blocks.add(b);
                }
            }
        }
        String output = null;
        JsonNode o = p.get("output");
        if (o != null) {
            JsonNode blob = o.get("blob");
            if (!o.isObject() || blob == null || !blob.isTextual()) {
                errors.add(new FieldError("payload.output", "must be {\"blob\": \"<key>\"}"));
            } else if (BlobKey.problemWith(blob.asText()) != null) {
                errors.add(new FieldError("payload.output.blob", BlobKey.problemWith(blob.asText())));
            } else {
                output = blob.asText();
            }
        }
        return errors.isEmpty() ? new PdfPayload(t.asText(), blocks, output) : null;
    }

    private static Block block(JsonNode b, String at, List<FieldError> errors) {
        String type = b.path("type").asText("");
        switch (type) {
            case "heading" -> {
                String text = text(b, at, MAX_HEADING, errors);
                int level = b.path("level").asInt(1);
                if (level < 1 || level > 3) {
                    errors.add(new FieldError(at + ".level", "must be 1, 2 or 3"));
                }
                return text == null ? null : new Block.Heading(text, level);
            }
            case "paragraph" -> {
                String text = text(b, at, MAX_PARAGRAPH, errors);
                return text == null ? null : new Block.Paragraph(text);
            }
            case "table" -> {
                JsonNode rows = b.get("rows");
                if (rows == null || !rows.isArray() || rows.isEmpty()) {
                    errors.add(new FieldError(at + ".rows", "must be a non-empty array of arrays of strings"));
                    return null;
                }
                List<List<String>> out = new ArrayList<>();
                long count = 0;
                for (int r = 0; r < rows.size(); r++) {
                    JsonNode row = rows.get(r);
                    if (!row.isArray() || row.isEmpty() || row.size() > MAX_TABLE_COLUMNS) {
                        errors.add(new FieldError(at + ".rows[" + r + "]", "must be an array of 1 to " + MAX_TABLE_COLUMNS + " cells"));
                        return null;
                    }
                    count += row.size();
                    if (count > MAX_TABLE_CELLS) {
                        errors.add(new FieldError(at + ".rows", "must have at most " + MAX_TABLE_CELLS + " cells in all"));
                        return null;
                    }
                    List<String> cells = new ArrayList<>();
                    for (int c = 0; c < row.size(); c++) {
                        JsonNode cell = row.get(c);
                        String value = cell.isValueNode() ? cell.asText() : cell.toString();
                        if (value.length() > MAX_CELL) {
                            errors.add(new FieldError(at + ".rows[" + r + "][" + c + "]", "must be at most " + MAX_CELL + " characters"));
                            return null;
                        }
                        cells.add(value);
                    }
                    out.add(cells);
                }
                return new Block.Table(out, b.path("header").asBoolean(false));
            }
            case "image" -> {
                JsonNode blob = b.get("blob");
                if (blob == null || !blob.isTextual() || BlobKey.problemWith(blob.asText()) != null) {
                    errors.add(new FieldError(at + ".blob", "must be a blob key of your tenant"));
                    return null;
                }
                JsonNode w = b.get("width");
                if (w != null && (!w.isIntegralNumber() || w.asInt() < 1 || w.asInt() > 2000)) {
                    errors.add(new FieldError(at + ".width", "must be an integer from 1 to 2000 (points)"));
                    return null;
                }
                return new Block.Image(blob.asText(), w == null ? null : w.asInt());
            }
            default -> {
                errors.add(new FieldError(at + ".type", "must be heading, paragraph, table or image"));
                return null;
            }
        }
    }

    private static String text(JsonNode b, String at, int max, List<FieldError> errors) {
        JsonNode t = b.get("text");
        if (t == null || !t.isTextual()) {
            errors.add(new FieldError(at + ".text", "must be a string"));
            return null;
        }
        if (t.asText().length() > max) {
            errors.add(new FieldError(at + ".text", "must be at most " + max + " characters"));
            return null;
        }
        return t.asText();
    }
}
