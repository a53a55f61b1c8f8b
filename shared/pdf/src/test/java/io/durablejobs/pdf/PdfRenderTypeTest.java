package io.durablejobs.pdf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.blob.InMemoryBlobStore;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.Outcome;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rendered PDFs parsed back with PDFBox: pages, text (non-ASCII included), images; and the limits. */
class PdfRenderTypeTest {
    static final String UNICODE = "Grüße aus Köln, Привет, Ελληνικά, Čeština — “quotes”";
    private final InMemoryBlobStore store = new InMemoryBlobStore();
    private PdfRenderType type;

    PdfRenderType started(Map<String, String> env) {
        type = new PdfRenderType(store);
        type.start(env);
        return type;
    }

    @AfterEach
    void stop() {
        if (type != null) {
            type.close();
        }
    }

    Outcome run(String jobId, JsonNode payload) throws Exception {
        return type.handle(new JobContext(jobId, "t1", PdfRenderType.NAME, payload, 1, Instant.now().plusSeconds(60)));
    }

    static ObjectNode document(String title) {
        ObjectNode p = Json.MAPPER.createObjectNode();
        p.putObject("document").put("title", title).putArray("blocks");
        return p;
    }

    static ArrayNode blocks(ObjectNode p) {
        return (ArrayNode) p.get("document").get("blocks");
    }

    static String longText(int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            b.append(i % 17 == 0 ? "Lorem" : "ipsum").append(i % 5 == 0 ? "dolorsitametconsectetur " : " ");
        }
        return b.toString();
    }

    static byte[] png() throws Exception {
        BufferedImage img = new BufferedImage(120, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 120, 80);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    PDDocument rendered(Outcome o) throws Exception {
        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        JsonNode r = ((Outcome.Succeeded) o).result();
        byte[] pdf = store.bytes(BlobKey.of("t1", r.at("/output/blob").asText()));
        assertThat(pdf).hasSize(r.get("bytes").asInt());
        PDDocument doc = Loader.loadPDF(pdf);
        assertThat(doc.getNumberOfPages()).isEqualTo(r.get("pages").asInt());
        return doc;
    }

    @Test
    void document_withEveryBlockType_parsesBack_withTextAndImage() throws Exception {
        started(Map.of());
        store.put(BlobKey.of("t1", "img/chart.png"), png(), "image/png");
        ObjectNode p = document("Quarterly report " + UNICODE);
        ArrayNode b = blocks(p);
        b.addObject().put("type", "heading").put("text", "Überblick").put("level", 2);
        b.addObject().put("type", "paragraph").put("text", UNICODE + " " + longText(200));
        ArrayNode rows = b.addObject().put("type", "table").put("header", true).putArray("rows");
        rows.addArray().add("Stadt").add("Temperatur");
        rows.addArray().add("München").add("−3 °C");
        b.addObject().put("type", "image").put("blob", "img/chart.png").put("width", 200);
        b.addObject().put("type", "paragraph").put("text", "CJK the font lacks: 東京 end.");
        try (PDDocument doc = rendered(run("job-1", p))) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("Grüße aus Köln", "Привет", "Ελληνικά", "Überblick", "München", "Temperatur", "°C");
            assertThat(text).contains("CJK the font lacks: ?? end.");
            assertThat(doc.getDocumentInformation().getTitle()).startsWith("Quarterly report");
            assertThat(images(doc)).isEqualTo(1);
            assertThat(doc.getPage(0).getResources().getFontNames()).isNotEmpty();
        }
    }

    @Test
    void longParagraphs_wrapAcrossPages() throws Exception {
        started(Map.of());
        ObjectNode p = document("Long");
        for (int i = 0; i < 20; i++) {
            blocks(p).addObject().put("type", "paragraph").put("text", "Paragraph " + i + ": " + longText(400));
        }
        try (PDDocument doc = rendered(run("job-long", p))) {
            assertThat(doc.getNumberOfPages()).isGreaterThan(5);
            String last = new PDFTextStripper() {
                {
                    setStartPage(doc.getNumberOfPages());
                }
            }.getText(doc);
            assertThat(last).contains("ipsum");
            String all = new PDFTextStripper().getText(doc);
            assertThat(all).contains("Paragraph 0:", "Paragraph 19:");
        }
    }

    @Test
    void overThePageLimit_isAPermanentError() throws Exception {
        started(Map.of("JOBS_PDF_MAX_PAGES", "2"));
        ObjectNode p = document("Too long");
        for (int i = 0; i < 10; i++) {
            blocks(p).addObject().put("type", "paragraph").put("text", longText(400));
        }
        Outcome o = run("job-pages", p);
        assertThat(o).isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> assertThat(d.reason()).isEqualTo(PdfReasons.TOO_MANY_PAGES));
    }

    @Test
    void overTheBlockLimit_isAPermanentError_andRefusedAtSubmitWithTheDefault() throws Exception {
        started(Map.of("JOBS_PDF_MAX_BLOCKS", "3"));
        ObjectNode p = document("Many");
        for (int i = 0; i < 4; i++) {
            blocks(p).addObject().put("type", "paragraph").put("text", "x");
        }
        assertThat(((Outcome.DeadLetter) run("job-blocks", p)).reason()).isEqualTo(PdfReasons.TOO_MANY_BLOCKS);
        ObjectNode huge = document("Huge");
        for (int i = 0; i <= PdfSettings.DEFAULT_MAX_BLOCKS; i++) {
            blocks(huge).addObject().put("type", "paragraph").put("text", "x");
        }
        assertThat(type.validate(huge)).extracting(e -> e.field()).containsExactly("payload.document.blocks");
    }

    @Test
    void images_missing_tooLarge_orBroken_arePermanentErrors() throws Exception {
        started(Map.of("JOBS_PDF_MAX_IMAGE_BYTES", "2048"));
        store.put(BlobKey.of("t1", "big.png"), new byte[4096], "image/png");
        store.put(BlobKey.of("t1", "broken.png"), new byte[100], "image/png");
        ObjectNode missing = document("m");
        blocks(missing).addObject().put("type", "image").put("blob", "nope.png");
        assertThat(((Outcome.DeadLetter) run("j1", missing)).reason()).isEqualTo(PdfReasons.IMAGE_NOT_FOUND);
        ObjectNode big = document("b");
        blocks(big).addObject().put("type", "image").put("blob", "big.png");
        assertThat(((Outcome.DeadLetter) run("j2", big)).reason()).isEqualTo(PdfReasons.IMAGE_TOO_LARGE);
        ObjectNode broken = document("c");
        blocks(broken).addObject().put("type", "image").put("blob", "broken.png");
        assertThat(((Outcome.DeadLetter) run("j3", broken)).reason()).isEqualTo(PdfReasons.INVALID_IMAGE);
    }

    @Test
    void invalidPayloads_areNamedByField() throws Exception {
        started(Map.of());
        JsonNode bad = Json.MAPPER.readTree("{\"document\":{\"title\":\"\",\"blocks\":[{\"type\":\"video\"},"
                + "{\"type\":\"heading\",\"text\":\"h\",\"level\":7},{\"type\":\"image\",\"blob\":\"../x\"}]},\"output\":{\"blob\":\"a//b\"}}");
        assertThat(type.validate(bad)).extracting(e -> e.field()).containsExactlyInAnyOrder("payload.document.title",
                "payload.document.blocks[0].type", "payload.document.blocks[1].level", "payload.document.blocks[2].blob",
                "payload.output.blob");
    }

    @Test
    void retriedJob_overwritesItsPdf() throws Exception {
        started(Map.of());
        ObjectNode p = document("Same");
        run("job-same", p);
        run("job-same", p);
        assertThat(store.list("t1/jobs/job-same/", 10)).hasSize(1);
    }

    @Test
    void hostileBlocks_areRefusedAtSubmit_namedByField_andByTheWorker() throws Exception {
        started(Map.of());
        ObjectNode p = document("Hostile");
        blocks(p).addObject().put("type", "paragraph").put("text", "x".repeat(240_000));
        blocks(p).addObject().put("type", "table").putArray("rows").addArray().add("a").add("y".repeat(200_000));
        blocks(p).addObject().put("type", "heading").put("text", "z".repeat(200_000));
        ArrayNode many = blocks(p).addObject().put("type", "table").putArray("rows");
        for (int r = 0; r < 300; r++) {
            ArrayNode row = many.addArray();
            for (int c = 0; c < 20; c++) {
                row.add("c");
            }
        }
        assertThat(type.validate(p)).extracting(e -> e.field()).containsExactly("payload.document.blocks[0].text",
                "payload.document.blocks[1].rows[0][1]", "payload.document.blocks[2].text", "payload.document.blocks[3].rows");
        long t0 = System.nanoTime();
        assertThat(run("job-hostile", p)).isInstanceOfSatisfying(Outcome.DeadLetter.class,
                d -> assertThat(d.reason()).isEqualTo(PdfReasons.INVALID_PAYLOAD));
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void unbrokenWords_atTheLimits_renderInBoundedTime() throws Exception {
        started(Map.of());
        ObjectNode p = document("Long words");
        blocks(p).addObject().put("type", "heading").put("text", "h".repeat(PdfPayload.MAX_HEADING));
        blocks(p).addObject().put("type", "paragraph").put("text", "x".repeat(PdfPayload.MAX_PARAGRAPH));
        ArrayNode rows = blocks(p).addObject().put("type", "table").putArray("rows");
        for (int r = 0; r < 3; r++) {
            ArrayNode row = rows.addArray();
            for (int c = 0; c < PdfPayload.MAX_TABLE_COLUMNS; c++) {
                row.add("y".repeat(PdfPayload.MAX_CELL));
            }
        }
        assertThat(type.validate(p)).isEmpty();
        long t0 = System.nanoTime();
        Outcome o = run("job-long-words", p);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        assertThat(ms).as("ms to render").isLessThan(10_000);
        try (PDDocument doc = Loader.loadPDF(store.get(BlobKey.of("t1", "jobs/job-long-words/output.pdf")).orElseThrow().content().readAllBytes())) {
            String all = new PDFTextStripper().getText(doc).replaceAll("\\s", "");
            assertThat(all.chars().filter(ch -> ch == 'x').count()).isEqualTo(PdfPayload.MAX_PARAGRAPH);
        }
    }

    @Test
    void aRenderOutOfTime_stopsAtItsDeadline_retriedThenDeadLetteredWithItsOwnReason() throws Exception {
        started(Map.of("JOBS_PDF_MAX_PAGES", "10000"));
        ObjectNode p = document("Slow");
        for (int i = 0; i < PdfSettings.DEFAULT_MAX_BLOCKS; i++) {
            blocks(p).addObject().put("type", "paragraph").put("text", longText(400));
        }
        long t0 = System.nanoTime();
        Outcome first = type.handle(new JobContext("job-slow", "t1", PdfRenderType.NAME, p, 1, Instant.now().plusMillis(300)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(first).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.error()).startsWith(PdfReasons.TIME_BUDGET_EXCEEDED));
        assertThat(ms).as("ms past a 300 ms budget").isLessThan(2_000);
        int last = type.retryPolicy().maxAttempts();
        Outcome lastAttempt = type.handle(new JobContext("job-slow", "t1", PdfRenderType.NAME, p, last, Instant.now().plusMillis(300)));
        assertThat(lastAttempt).isInstanceOfSatisfying(Outcome.DeadLetter.class,
                d -> assertThat(d.reason()).isEqualTo(PdfReasons.TIME_BUDGET_EXCEEDED));
        assertThat(store.list("t1/jobs/job-slow/", 10)).isEmpty();
    }

    static int images(PDDocument doc) throws Exception {
        int n = 0;
        for (PDPage page : doc.getPages()) {
            for (COSName name : page.getResources().getXObjectNames()) {
                if (page.getResources().getXObject(name) instanceof PDImageXObject) {
                    n++;
                }
            }
        }
        return n;
    }
}
