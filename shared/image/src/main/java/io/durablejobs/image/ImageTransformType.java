package io.durablejobs.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.blob.Blob;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.blob.BlobStore;
import io.durablejobs.core.blob.BlobStores;
import io.durablejobs.core.blob.BoundedBytes;
import io.durablejobs.core.blob.OutputKeys;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.webhook.ssrf.GuardedDnsResolver;
import io.durablejobs.webhook.ssrf.HostLookup;
import io.durablejobs.webhook.ssrf.TargetAddressPolicy;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code image.transform}: reads an image (URL, inline base64 or blob), checks its declared size, decodes it
 * upright and no larger than needed, applies resize/crop/rotate/grayscale in order, and writes PNG or JPEG
 * to the blob store under a key derived from the job id (or the payload's {@code output.blob}).
 * See the module README for the payload, settings, reasons and memory.
 */
public final class ImageTransformType extends ImageTransformSpec {
    private static final Logger LOG = LoggerFactory.getLogger(ImageTransformType.class);

    private final BlobStore givenStore;
    private final HostLookup lookup;
    private volatile Started started;

    /** A job does not start decoding with less time than this left: waiting for memory stops short of it. */
    static final Duration RUN_RESERVE = Duration.ofSeconds(10);
    /** When memory did not free up in time, the job is tried again no sooner than this. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(5);

    /** {@code maxPixels}: the configured limit, lowered to what the memory budget holds. */
    private record Started(ImageSettings settings, BlobStore store, UrlFetcher fetcher, ImageDecoder decoder, MemoryBudget memory,
                           long maxPixels, boolean ownsStore) {
    }

    /** Cheap and settings-free: the submit function constructs every type only to call {@link #validate}. */
    public ImageTransformType() {
        this(null, HostLookup.SYSTEM);
    }

    /** For tests and embedding: a given blob store (else the configured one) and name lookup. */
    public ImageTransformType(BlobStore store, HostLookup lookup) {
        this.givenStore = store;
        this.lookup = lookup;
    }

    @Override
    public synchronized void start(Map<String, String> env) {
        if (started != null) {
            throw new IllegalStateException(NAME + " is already started");
        }
        ImageSettings settings = ImageSettings.from(env);
        BlobStore store = givenStore != null ? givenStore : BlobStores.open(env);
        var resolver = new GuardedDnsResolver(TargetAddressPolicy.of(settings.allowPrivateNetworks()), lookup);
        UrlFetcher fetcher = new UrlFetcher(resolver, settings.fetchTimeout(), settings.allowPrivateNetworks());
        MemoryBudget memory = MemoryBudget.of(settings.memoryMb(), Runtime.getRuntime().maxMemory());
        long maxPixels = Math.min(settings.maxPixels(), memory.pixelLimit());
        started = new Started(settings, store, fetcher, new ImageDecoder(maxPixels), memory, maxPixels, givenStore == null);
        LOG.info("{} started: store={} {} {} maxPixels={}", NAME, store.kind(), settings, memory, maxPixels);
    }

    @Override
    public Outcome handle(JobContext ctx) throws IOException {
        Started s = started;
        if (s == null) {
            throw new IllegalStateException(NAME + ": start() was not called");
        }
        ImagePayload payload;
        try {
            payload = ImagePayload.from(ctx.payload(), s.settings().allowPrivateNetworks());
        } catch (IllegalArgumentException e) {
            return Outcome.deadLetter(ImageReasons.INVALID_PAYLOAD, e.getMessage());
        }
        long started = System.nanoTime();
        Loaded loaded = load(s, ctx, payload.source());
        if (loaded instanceof Loaded.Failed f) {
            LOG.info("image source not loaded jobId={} attempt={} outcome={}", ctx.jobId(), ctx.attempt(), f.outcome());
            return f.outcome();
        }
        byte[] bytes = ((Loaded.Bytes) loaded).bytes();
        Decoded header = s.decoder().header(bytes, payload.operations());
        if (header instanceof Decoded.Refused r) {
            LOG.info("image refused jobId={} reason={} ({})", ctx.jobId(), r.reason(), r.message());
            return Outcome.deadLetter(r.reason(), r.message());
        }
        ImageDecoder.Header h = (ImageDecoder.Header) header;
        long cost = MemoryBudget.cost(ImageDecoder.peakPixels(h, payload.operations()));
        Duration wait = ctx.remaining(Instant.now()).minus(RUN_RESERVE);
        Optional<MemoryBudget.Permit> permit;
        try {
            permit = s.memory().acquire(cost, wait.isNegative() ? Duration.ZERO : wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.retry("interrupted while waiting for memory");
        }
        if (permit.isEmpty()) {
            // The environment's memory is taken by other images for longer than this job has: hand it on
            // (another environment, or this one later) instead of decoding into an out-of-memory crash.
            LOG.info("image waiting for memory jobId={} attempt={} needMiB={} freeMiB={}", ctx.jobId(), ctx.attempt(),
                    cost >> 20, s.memory().availableBytes() >> 20);
            return new Outcome.Retry("memory_busy: " + (cost >> 20) + " MiB for " + h.width() + "x" + h.height()
                    + " did not free up before the job's deadline", BUSY_RETRY);
        }
        try (MemoryBudget.Permit held = permit.get()) {
            return transform(s, ctx, payload, bytes, h, started);
        }
    }

    private Outcome transform(Started s, JobContext ctx, ImagePayload payload, byte[] bytes, ImageDecoder.Header h, long started)
            throws IOException {
        Decoded decoded = s.decoder().decode(bytes, h);
        if (decoded instanceof Decoded.Refused r) {
            LOG.info("image refused jobId={} reason={} ({})", ctx.jobId(), r.reason(), r.message());
            return Outcome.deadLetter(r.reason(), r.message());
        }
        // Only the current raster stays reachable from here: each step's input becomes garbage as it ends.
        BufferedImage img = ((Decoded.Image) decoded).image();
        decoded = null;
        for (Operation op : payload.operations()) {
            if (Instant.now().isAfter(ctx.deadline())) {
                // Twenty full-size steps can outlast the job's time: stop here rather than run past the
                // function's timeout and fail the whole batch.
                String message = "ran out of the job's time before " + op.getClass().getSimpleName().toLowerCase(Locale.ROOT);
                return retryPolicy().mayRetryAfter(ctx.attempt())
                        ? Outcome.retry(ImageReasons.TIME_BUDGET_EXCEEDED + ": " + message)
                        : Outcome.deadLetter(ImageReasons.TIME_BUDGET_EXCEEDED, message);
            }
            Optional<String> problem = check(op, img, s.maxPixels());
            if (problem.isPresent()) {
                return Outcome.deadLetter(ImageReasons.INVALID_OPERATION, problem.get());
            }
            img = apply(op, img);
        }
        byte[] out = ImageEncoder.encode(img, payload.format(), payload.quality());
        int width = img.getWidth();
        int height = img.getHeight();
        img = null;
        BlobKey key = OutputKeys.resolve(ctx.tenant(), ctx.jobId(), payload.outputBlob(), payload.format().extension());
        s.store().put(key, new ByteArrayInputStream(out), out.length, payload.format().contentType());

        ObjectNode result = Json.MAPPER.createObjectNode();
        result.putObject("output").put("blob", key.relative()).put("url", s.store().readUrl(key, s.settings().urlTtl()).toString());
        result.put("width", width);
        result.put("height", height);
        result.put("bytes", out.length);
        result.put("contentType", payload.format().contentType());
        LOG.info("image transformed jobId={} tenant={} attempt={} source={}:{}x{} subsampling={} output={}x{} bytes={} ms={}",
                ctx.jobId(), ctx.tenant(), ctx.attempt(), h.format(), h.width(), h.height(),
                h.subsampling(), width, height, out.length, (System.nanoTime() - started) / 1_000_000);
        return Outcome.succeeded(result);
    }

    private static Loaded load(Started s, JobContext ctx, ImageSource source) throws IOException {
        long max = s.settings().maxSourceBytes();
        if (source instanceof ImageSource.Inline inline) {
            return new Loaded.Bytes(inline.bytes());
        }
        if (source instanceof ImageSource.Blob b) {
            Optional<Blob> blob = s.store().get(BlobKey.of(ctx.tenant(), b.key()));
            if (blob.isEmpty()) {
                return new Loaded.Failed(Outcome.deadLetter(ImageReasons.SOURCE_NOT_FOUND, "no blob " + b.key()));
            }
            try (Blob open = blob.get()) {
                if (open.info().size() > max) {
                    return new Loaded.Failed(Outcome.deadLetter(ImageReasons.SOURCE_TOO_LARGE, "source is over " + max + " bytes"));
                }
                return new Loaded.Bytes(BoundedBytes.read(open.content(), max));
            } catch (BoundedBytes.TooLargeException e) {
                return new Loaded.Failed(Outcome.deadLetter(ImageReasons.SOURCE_TOO_LARGE, "source is over " + max + " bytes"));
            }
        }
        ImageSource.Url url = (ImageSource.Url) source;
        return s.fetcher().fetch(url.uri(), max, ctx.remaining(Instant.now()));
    }

    private static Optional<String> check(Operation op, BufferedImage img, long maxPixels) {
        if (op instanceof Operation.Crop c) {
            if ((long) c.x() + c.width() > img.getWidth() || (long) c.y() + c.height() > img.getHeight()) {
                return Optional.of("crop " + c.x() + "," + c.y() + " " + c.width() + "x" + c.height() + " is outside the "
                        + img.getWidth() + "x" + img.getHeight() + " image");
            }
        }
        if (op instanceof Operation.Resize r) {
            int[] size = ImageOps.resizedSize(img.getWidth(), img.getHeight(), r);
            if ((long) size[0] * size[1] > maxPixels) {
                return Optional.of("resize to " + size[0] + "x" + size[1] + " is over the limit of " + maxPixels + " pixels");
            }
        }
        return Optional.empty();
    }

    private static BufferedImage apply(Operation op, BufferedImage img) {
        if (op instanceof Operation.Resize r) {
            return ImageOps.resize(img, r);
        }
        if (op instanceof Operation.Crop c) {
            return ImageOps.crop(img, c.x(), c.y(), c.width(), c.height());
        }
        if (op instanceof Operation.Rotate r) {
            return ImageOps.rotate(img, r.degrees());
        }
        return ImageOps.grayscale(img);
    }

    /** The per-image pixel limit in force: the configured one, or lower where the memory budget is smaller. */
    long maxPixels() {
        return running().maxPixels();
    }

    MemoryBudget memoryBudget() {
        return running().memory();
    }

    private Started running() {
        Started s = started;
        if (s == null) {
            throw new IllegalStateException(NAME + ": start() was not called");
        }
        return s;
    }

    @Override
    public synchronized void close() {
        Started s = started;
        started = null;
        if (s != null) {
            s.fetcher().close();
            if (s.ownsStore()) {
                s.store().close();
            }
        }
    }
}
