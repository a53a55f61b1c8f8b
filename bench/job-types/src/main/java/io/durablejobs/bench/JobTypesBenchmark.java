package io.durablejobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.adapters.blob.LocalFolderBlobStore;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.image.ImageTransformType;
import io.durablejobs.pdf.PdfRenderType;
import io.durablejobs.webhook.ssrf.HostLookup;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Time and peak heap per job: a 12-megapixel JPEG to a 400 px thumbnail through {@code image.transform},
 * beside a plain-ImageIO baseline (full decode, one scale, encode) in the same run, and a 20-page PDF
 * through {@code pdf.render}. Writes {@code job-types.json} to the folder given as the first argument.
 */
public final class JobTypesBenchmark {
    static final int WARMUP = 3;
    static final int RUNS = 10;

    record Result(String name, int runs, double medianMs, double p90Ms, double minMs, double peakHeapMb, String detail) {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "results/bench");
        Path dir = Files.createTempDirectory("bench-blobs");
        LocalFolderBlobStore store = new LocalFolderBlobStore(dir, URI.create("http://127.0.0.1:8080"));
        byte[] jpeg = photoLikeJpeg(4000, 3000);
        store.put(BlobKey.of("bench", "in/photo.jpg"), new ByteArrayInputStream(jpeg), jpeg.length, "image/jpeg");

        ImageTransformType image = new ImageTransformType(store, HostLookup.SYSTEM);
        image.start(Map.of());
        JsonNode imagePayload = Json.MAPPER.readTree("{\"source\":{\"blob\":\"in/photo.jpg\"},\"format\":\"jpeg\",\"quality\":85,"
                + "\"operations\":[{\"op\":\"resize\",\"width\":400,\"height\":400,\"fit\":\"contain\"}]}");
        PdfRenderType pdf = new PdfRenderType(store);
        pdf.start(Map.of());
        byte[] png = smallPng();
        store.put(BlobKey.of("bench", "in/chart.png"), new ByteArrayInputStream(png), png.length, "image/png");
        JsonNode pdfPayload = twentyPages();

        List<Result> results = new ArrayList<>();
        String[] detail = new String[1];
        results.add(measure("image.transform 12MP JPEG -> 400px JPEG", () -> {
            Outcome o = image.handle(ctx("img", imagePayload));
            JsonNode r = ((Outcome.Succeeded) o).result();
            detail[0] = r.get("width") + "x" + r.get("height") + ", " + r.get("bytes") + " bytes";
            return null;
        }, detail));
        results.add(measure("baseline ImageIO 12MP JPEG -> 400px JPEG", () -> {
            detail[0] = baseline(jpeg);
            return null;
        }, detail));
        results.add(measure("pdf.render 20 pages", () -> {
            Outcome o = pdf.handle(ctx("pdf", pdfPayload));
            JsonNode r = ((Outcome.Succeeded) o).result();
            detail[0] = r.get("pages") + " pages, " + r.get("bytes") + " bytes";
            return null;
        }, detail));
        image.close();
        pdf.close();

        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("when", Instant.now().toString());
        json.put("java", System.getProperty("java.version"));
        json.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        json.put("cpus", Runtime.getRuntime().availableProcessors());
        json.put("sourceJpegBytes", jpeg.length);
        ArrayNode arr = json.putArray("results");
        for (Result r : results) {
            arr.add(Json.MAPPER.valueToTree(r));
            System.out.printf("%-45s median %7.1f ms  p90 %7.1f ms  min %7.1f ms  peak heap %6.1f MB  (%s)%n",
                    r.name(), r.medianMs(), r.p90Ms(), r.minMs(), r.peakHeapMb(), r.detail());
        }
        double ratio = results.get(0).medianMs() / results.get(1).medianMs();
        json.put("imageVsBaseline", Math.round(ratio * 100) / 100.0);
        System.out.printf("image.transform / baseline = %.2f%n", ratio);
        Files.createDirectories(out);
        Files.writeString(out.resolve("job-types.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        System.out.println("wrote " + out.resolve("job-types.json"));
    }

    static JobContext ctx(String id, JsonNode payload) {
        return new JobContext("bench-" + id, "bench", "bench", payload, 1, Instant.now().plusSeconds(120));
    }

    static Result measure(String name, Callable<Void> job, String[] detail) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            job.call();
        }
        double[] ms = new double[RUNS];
        long peak = 0;
        for (int i = 0; i < RUNS; i++) {
            HeapPeak.reset();
            long t = System.nanoTime();
            job.call();
            ms[i] = (System.nanoTime() - t) / 1e6;
            peak = Math.max(peak, HeapPeak.peakBytes());
        }
        Arrays.sort(ms);
        return new Result(name, RUNS, ms[RUNS / 2], ms[(int) Math.ceil(RUNS * 0.9) - 1], ms[0], peak / (1024.0 * 1024.0), detail[0]);
    }

    /** The plain way: decode the whole image, one bilinear scale, encode. */
    static String baseline(byte[] jpeg) throws Exception {
        BufferedImage src = ImageIO.read(new ByteArrayInputStream(jpeg));
        int w = 400;
        int h = (int) Math.round(src.getHeight() * 400.0 / src.getWidth());
        BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        byte[] out = encode(dst, 0.85f);
        return w + "x" + h + ", " + out.length + " bytes";
    }

    /** Gradients, shapes and noise: compresses like a photo rather than like a flat test card. */
    static byte[] photoLikeJpeg(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(30, 90, 160), w, h, new Color(240, 200, 120)));
        g.fillRect(0, 0, w, h);
        Random r = new Random(42);
        for (int i = 0; i < 400; i++) {
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256), 120));
            g.fillOval(r.nextInt(w), r.nextInt(h), 50 + r.nextInt(400), 50 + r.nextInt(400));
        }
        g.dispose();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int n = r.nextInt(17) - 8;
                int p = row[x];
                row[x] = (clamp(((p >> 16) & 0xff) + n) << 16) | (clamp(((p >> 8) & 0xff) + n) << 8) | clamp((p & 0xff) + n);
            }
            img.setRGB(0, y, w, 1, row, 0, w);
        }
        return encode(img, 0.9f);
    }

    static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static byte[] encode(BufferedImage img, float quality) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.dispose();
        }
        return out.toByteArray();
    }

    static byte[] smallPng() throws Exception {
        BufferedImage img = new BufferedImage(600, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.WHITE, 600, 300, Color.ORANGE));
        g.fillRect(0, 0, 600, 300);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** Headings, paragraphs, a table and an image per section; sized to lay out on 20 A4 pages. */
    static JsonNode twentyPages() {
        ObjectNode p = Json.MAPPER.createObjectNode();
        ObjectNode doc = p.putObject("document");
        doc.put("title", "Benchmark report — Grüße, Привет");
        ArrayNode blocks = doc.putArray("blocks");
        String words = "The quick brown fox jumps over the lazy dog while Zürich’s Straßenbahn hums along; ";
        for (int s = 0; s < 10; s++) {
            blocks.addObject().put("type", "heading").put("text", "Section " + (s + 1)).put("level", 2);
            for (int i = 0; i < 3; i++) {
                blocks.addObject().put("type", "paragraph").put("text", words.repeat(22));
            }
            ArrayNode rows = blocks.addObject().put("type", "table").put("header", true).putArray("rows");
            rows.addArray().add("Item").add("Quantity").add("Price");
            for (int r = 0; r < 8; r++) {
                rows.addArray().add("Widget " + r).add(Integer.toString(r * 3)).add("€ " + (r * 7) + ",00");
            }
            blocks.addObject().put("type", "image").put("blob", "in/chart.png").put("width", 300);
        }
        return p;
    }
}
