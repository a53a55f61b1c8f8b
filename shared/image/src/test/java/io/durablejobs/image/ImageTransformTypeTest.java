package io.durablejobs.image;

import static io.durablejobs.image.TestImages.BLUE;
import static io.durablejobs.image.TestImages.RED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.blob.InMemoryBlobStore;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.webhook.ssrf.HostLookup;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The type end to end at handler level: real images in, the output blob decoded and checked. */
class ImageTransformTypeTest {
    private final InMemoryBlobStore store = new InMemoryBlobStore();
    private ImageTransformType type;

    @BeforeEach
    void start() {
        type = new ImageTransformType(store, HostLookup.SYSTEM);
        type.start(Map.of("JOBS_IMAGE_MAX_PIXELS", "20000000"));
    }

    @AfterEach
    void stop() {
        type.close();
    }

    static ObjectNode payload(byte[] source, String format, String ops) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("{\"source\":{\"base64\":\"" + Base64.getEncoder().encodeToString(source)
                + "\"},\"format\":\"" + format + "\",\"operations\":" + ops + "}");
    }

    Outcome run(String jobId, JsonNode payload) throws Exception {
        assertThat(type.validate(payload)).isEmpty();
        return type.handle(new JobContext(jobId, "t1", ImageTransformType.NAME, payload, 1, Instant.now().plusSeconds(30)));
    }

    /** Runs, expects success, and decodes the output blob named in the result. */
    BufferedImage output(JsonNode payload, String expectedFormat) throws Exception {
        String jobId = "job-" + UUID.randomUUID();
        Outcome o = run(jobId, payload);
        assertThat(o).isInstanceOf(Outcome.Succeeded.class);
        JsonNode r = ((Outcome.Succeeded) o).result();
        byte[] bytes = store.bytes(BlobKey.of("t1", r.at("/output/blob").asText()));
        assertThat(bytes).isNotNull().hasSize(r.get("bytes").asInt());
        assertThat(TestImages.formatOf(bytes)).isEqualTo(expectedFormat);
        assertThat(r.get("contentType").asText()).isEqualTo("image/" + expectedFormat);
        assertThat(r.at("/output/url").asText()).endsWith("/v1/blobs/" + r.at("/output/blob").asText());
        BufferedImage img = TestImages.decode(bytes);
        assertThat(img.getWidth()).isEqualTo(r.get("width").asInt());
        assertThat(img.getHeight()).isEqualTo(r.get("height").asInt());
        return img;
    }

    static void assertNear(Color actual, Color expected) {
        assertThat(Math.abs(actual.getRed() - expected.getRed())).as("red of " + actual).isLessThan(40);
        assertThat(Math.abs(actual.getGreen() - expected.getGreen())).as("green of " + actual).isLessThan(40);
        assertThat(Math.abs(actual.getBlue() - expected.getBlue())).as("blue of " + actual).isLessThan(40);
    }

    @Test
    void png_resizedToContain_keepsAspect_andColours() throws Exception {
        byte[] src = TestImages.png(TestImages.halves(400, 200));
        BufferedImage out = output(payload(src, "png", "[{\"op\":\"resize\",\"width\":100,\"height\":100,\"fit\":\"contain\"}]"), "png");
        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(out.getHeight()).isEqualTo(50);
        assertNear(TestImages.at(out, 10, 25), RED);
        assertNear(TestImages.at(out, 90, 25), BLUE);
    }

    @Test
    void cover_fillsTheBox_cropsTheOverflowAroundTheCentre() throws Exception {
        byte[] src = TestImages.png(TestImages.halves(400, 200));
        BufferedImage out = output(payload(src, "png", "[{\"op\":\"resize\",\"width\":100,\"height\":100,\"fit\":\"cover\"}]"), "png");
        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(out.getHeight()).isEqualTo(100);
        assertNear(TestImages.at(out, 5, 50), RED);
        assertNear(TestImages.at(out, 95, 50), BLUE);
    }

    @Test
    void fill_stretches() throws Exception {
        byte[] src = TestImages.png(TestImages.halves(400, 200));
        BufferedImage out = output(payload(src, "png", "[{\"op\":\"resize\",\"width\":60,\"height\":90,\"fit\":\"fill\"}]"), "png");
        assertThat(out.getWidth()).isEqualTo(60);
        assertThat(out.getHeight()).isEqualTo(90);
    }

    @Test
    void crop_rotate_grayscale_toJpeg() throws Exception {
        byte[] src = TestImages.jpeg(TestImages.halves(400, 200), 0.95f);
        // Crop the right (blue) 200x200, rotate 90 clockwise, grayscale: a uniform grey square.
        BufferedImage out = output(payload(src, "jpeg", "[{\"op\":\"crop\",\"x\":200,\"y\":0,\"width\":200,\"height\":100},"
                + "{\"op\":\"rotate\",\"degrees\":90},{\"op\":\"grayscale\"}]"), "jpeg");
        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(out.getHeight()).isEqualTo(200);
        Color c = TestImages.at(out, 50, 100);
        assertThat(Math.abs(c.getRed() - c.getBlue())).isLessThan(6);
        assertThat(c.getRed()).isBetween(25, 60); // luma of (20,20,220) is about 43
    }

    @Test
    void rotate90_movesTheLeftHalfToTheTop() throws Exception {
        byte[] src = TestImages.png(TestImages.halves(40, 20));
        BufferedImage out = output(payload(src, "png", "[{\"op\":\"rotate\",\"degrees\":90}]"), "png");
        assertThat(out.getWidth()).isEqualTo(20);
        assertThat(out.getHeight()).isEqualTo(40);
        assertNear(TestImages.at(out, 10, 5), RED);
        assertNear(TestImages.at(out, 10, 35), BLUE);
    }

    @Test
    void exifRotatedJpeg_isTurnedUpright_beforeTheOperations() throws Exception {
        // Stored 400x200, red left; orientation 6 means "rotate 90 clockwise to display": red on top, 200x400.
        byte[] src = TestImages.withExifOrientation(TestImages.jpeg(TestImages.halves(400, 200), 0.95f), 6);
        assertThat(ExifOrientation.read(src)).isEqualTo(6);
        BufferedImage out = output(payload(src, "png", "[{\"op\":\"resize\",\"width\":100}]"), "png");
        assertThat(out.getWidth()).isEqualTo(100);
        assertThat(out.getHeight()).isEqualTo(200);
        assertNear(TestImages.at(out, 50, 20), RED);
        assertNear(TestImages.at(out, 50, 180), BLUE);
    }

    @Test
    void cmykJpeg_isDecodedToRgb() throws Exception {
        // Pure cyan in CMYK: no red, much green and blue, whatever the exact colour conversion.
        byte[] src = TestImages.cmykJpeg(64, 48, 255, 0, 0, 0);
        BufferedImage out = output(payload(src, "png", "[]"), "png");
        assertThat(out.getWidth()).isEqualTo(64);
        assertThat(out.getHeight()).isEqualTo(48);
        Color c = TestImages.at(out, 32, 24);
        assertThat(c.getRed()).as("red of " + c).isLessThan(80);
        assertThat(c.getGreen()).as("green of " + c).isGreaterThan(120);
        assertThat(c.getBlue()).as("blue of " + c).isGreaterThan(180);
    }

    @Test
    void decompressionBomb_isRefusedFromItsHeader_andTheWorkerStaysHealthy() throws Exception {
        byte[] bomb = TestImages.pngBomb(100_000, 100_000);
        assertThat(bomb.length).isLessThan(1024);
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        Outcome o = run("job-bomb", payload(bomb, "png", "[]"));
        assertThat(o).isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> {
            assertThat(d.reason()).isEqualTo(ImageReasons.IMAGE_TOO_LARGE);
            assertThat(d.error()).contains("100000x100000");
        });
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertThat(after - before).as("heap grown by the refusal").isLessThan(64L * 1024 * 1024);
        // The same worker goes on with the next job.
        output(payload(TestImages.png(TestImages.halves(20, 10)), "png", "[]"), "png");
    }

    @Test
    void truncatedJpeg_isAnInvalidImage_notAGreySuccess() throws Exception {
        byte[] whole = TestImages.jpeg(TestImages.noise(300, 200), 0.9f);
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length * 6 / 10);
        Outcome o = run("job-truncated", payload(truncated, "png", "[]"));
        assertThat(o).isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> {
            assertThat(d.reason()).isEqualTo(ImageReasons.INVALID_IMAGE);
            assertThat(d.error()).contains("truncated");
        });
        byte[] truncatedPng = TestImages.png(TestImages.noise(300, 200));
        truncatedPng = java.util.Arrays.copyOf(truncatedPng, truncatedPng.length * 6 / 10);
        assertThat(((Outcome.DeadLetter) run("job-truncated-png", payload(truncatedPng, "png", "[]"))).reason())
                .isEqualTo(ImageReasons.INVALID_IMAGE);
        // The whole file still goes through.
        output(payload(whole, "png", "[]"), "png");
    }

    @Test
    void perImagePixelLimit_followsTheFunctionsMemory() throws Exception {
        ImageTransformType small = new ImageTransformType(store, HostLookup.SYSTEM);
        small.start(Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"));
        try {
            // 512 MiB less a quarter of headroom is 384 MiB, at 12 bytes a pixel at peak: 33.5 MP, under the 50 MP default.
            assertThat(small.maxPixels()).isEqualTo(384L * 1024 * 1024 / 12);
            Outcome o = small.handle(new JobContext("job-36mp", "t1", ImageTransformType.NAME,
                    payload(TestImages.pngBomb(6000, 6000), "png", "[]"), 1, Instant.now().plusSeconds(30)));
            assertThat(o).isInstanceOfSatisfying(Outcome.DeadLetter.class, d -> {
                assertThat(d.reason()).isEqualTo(ImageReasons.IMAGE_TOO_LARGE);
                assertThat(d.error()).contains("6000x6000");
            });
        } finally {
            small.close();
        }
    }

    @Test
    void aJobThatCannotGetMemoryBeforeItsDeadline_isRetriedLater_notFailed() throws Exception {
        MemoryBudget memory = type.memoryBudget();
        try (MemoryBudget.Permit all = memory.acquire(memory.totalBytes(), java.time.Duration.ZERO).orElseThrow()) {
            JsonNode p = payload(TestImages.png(TestImages.halves(200, 100)), "png", "[]");
            long t0 = System.nanoTime();
            Outcome o = type.handle(new JobContext("job-busy", "t1", ImageTransformType.NAME, p, 1,
                    Instant.now().plus(ImageTransformType.RUN_RESERVE).plusMillis(300)));
            assertThat((System.nanoTime() - t0) / 1_000_000).as("ms waited").isBetween(200L, 5_000L);
            assertThat(o).isInstanceOfSatisfying(Outcome.Retry.class, r -> {
                assertThat(r.error()).startsWith("memory_busy");
                assertThat(r.notBefore()).isEqualTo(ImageTransformType.BUSY_RETRY);
            });
        }
        assertThat(memory.availableBytes()).isEqualTo(memory.totalBytes() / 1024 * 1024);
        // With the memory back, the same job runs, and gives its permit back when done.
        output(payload(TestImages.png(TestImages.halves(200, 100)), "png", "[]"), "png");
        assertThat(memory.availableBytes()).isEqualTo(memory.totalBytes() / 1024 * 1024);
    }

    @Test
    void operationsPastTheJobsDeadline_stop_retriedThenDeadLetteredWithTheirOwnReason() throws Exception {
        JsonNode p = payload(TestImages.png(TestImages.halves(200, 100)), "png", "[{\"op\":\"grayscale\"}]");
        Instant past = Instant.now().minusMillis(1);
        Outcome first = type.handle(new JobContext("job-late", "t1", ImageTransformType.NAME, p, 1, past));
        assertThat(first).isInstanceOfSatisfying(Outcome.Retry.class,
                r -> assertThat(r.error()).startsWith(ImageReasons.TIME_BUDGET_EXCEEDED));
        Outcome last = type.handle(new JobContext("job-late", "t1", ImageTransformType.NAME, p, type.retryPolicy().maxAttempts(), past));
        assertThat(last).isInstanceOfSatisfying(Outcome.DeadLetter.class,
                d -> assertThat(d.reason()).isEqualTo(ImageReasons.TIME_BUDGET_EXCEEDED));
        assertThat(store.list("t1/jobs/job-late/", 10)).isEmpty();
    }

    @Test
    void unsupportedFormats_areDeadLettered() throws Exception {
        Outcome text = run("job-text", payload("not an image at all".getBytes(), "png", "[]"));
        assertThat(((Outcome.DeadLetter) text).reason()).isEqualTo(ImageReasons.UNSUPPORTED_FORMAT);
        var tiff = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(TestImages.halves(8, 8), "tiff", tiff);
        Outcome t = run("job-tiff", payload(tiff.toByteArray(), "png", "[]"));
        assertThat(((Outcome.DeadLetter) t).reason()).isEqualTo(ImageReasons.UNSUPPORTED_FORMAT);
    }

    @Test
    void cropOutsideTheImage_isAPermanentError() throws Exception {
        byte[] src = TestImages.png(TestImages.halves(40, 20));
        Outcome o = run("job-crop", payload(src, "png", "[{\"op\":\"crop\",\"x\":30,\"y\":0,\"width\":20,\"height\":10}]"));
        assertThat(((Outcome.DeadLetter) o).reason()).isEqualTo(ImageReasons.INVALID_OPERATION);
    }

    @Test
    void blobSource_ofTheJobsTenant_andANamedOutput() throws Exception {
        store.put(BlobKey.of("t1", "in/photo.jpg"), TestImages.jpeg(TestImages.halves(300, 300), 0.9f), "image/jpeg");
        JsonNode p = Json.MAPPER.readTree("{\"source\":{\"blob\":\"in/photo.jpg\"},\"format\":\"jpeg\",\"quality\":70,"
                + "\"operations\":[{\"op\":\"resize\",\"width\":30,\"height\":30}],\"output\":{\"blob\":\"out/thumb.jpg\"}}");
        Outcome o = run("job-blob", p);
        JsonNode r = ((Outcome.Succeeded) o).result();
        assertThat(r.at("/output/blob").asText()).isEqualTo("out/thumb.jpg");
        assertThat(store.bytes(BlobKey.of("t1", "out/thumb.jpg"))).isNotNull();
    }

    @Test
    void blobSource_ofAnotherTenant_isNotFound() throws Exception {
        store.put(BlobKey.of("t2", "in/photo.png"), TestImages.png(TestImages.halves(10, 10)), "image/png");
        JsonNode p = Json.MAPPER.readTree("{\"source\":{\"blob\":\"in/photo.png\"},\"format\":\"png\"}");
        assertThat(((Outcome.DeadLetter) run("job-x", p)).reason()).isEqualTo(ImageReasons.SOURCE_NOT_FOUND);
    }

    @Test
    void retriedJob_overwritesItsOutput_underTheJobDerivedKey() throws Exception {
        JsonNode p = payload(TestImages.png(TestImages.halves(20, 10)), "png", "[]");
        run("job-same", p);
        run("job-same", p);
        assertThat(store.list("t1/jobs/job-same/", 10)).extracting(i -> i.key().relative()).containsExactly("jobs/job-same/output.png");
    }

    @Test
    void largeJpeg_toThumbnail_isSubsampledWhileDecoding() throws Exception {
        BufferedImage big = TestImages.halves(4000, 3000);
        byte[] src = TestImages.jpeg(big, 0.8f);
        Decoded d = new ImageDecoder(50_000_000).decode(src, java.util.List.of(new Operation.Resize(400, null, Fit.CONTAIN)));
        assertThat(d).isInstanceOfSatisfying(Decoded.Image.class, i -> {
            assertThat(i.subsampling()).isEqualTo(5);
            assertThat(i.image().getWidth()).isEqualTo(800);
        });
    }
}
