package io.durablejobs.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.blob.BlobKey;
import io.durablejobs.core.blob.InMemoryBlobStore;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobContext;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.webhook.ssrf.HostLookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Run in a child JVM whose heap is the function's memory size: a batch of images at the per-image pixel
 * limit, all handled at once as a worker's lanes would, each rotated and grayscaled (no downscale, so every
 * step holds full-size rasters). Prints one line per job; exits 0 when all succeeded, 3 on OutOfMemoryError.
 */
public final class MaxSizeBatch {
    public static void main(String[] args) throws Exception {
        int jobs = Integer.parseInt(args[0]);
        InMemoryBlobStore store = new InMemoryBlobStore();
        ImageTransformType type = new ImageTransformType(store, HostLookup.SYSTEM);
        type.start(System.getenv());
        int side = (int) Math.sqrt(type.maxPixels());
        System.out.println("heapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " budgetMiB="
                + type.memoryBudget().totalBytes() / (1024 * 1024) + " image=" + side + "x" + side);
        for (int i = 0; i < jobs; i++) {
            store.put(BlobKey.of("t1", "in/" + i + ".png"), TestImages.png(TestImages.halves(side + i % 2, side - i % 2)), "image/png");
        }
        ExecutorService lanes = Executors.newFixedThreadPool(jobs);
        List<Future<Outcome>> results = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            ObjectNode p = (ObjectNode) Json.MAPPER.readTree("{\"source\":{\"blob\":\"in/" + i + ".png\"},\"format\":\"png\","
                    + "\"operations\":[{\"op\":\"rotate\",\"degrees\":90},{\"op\":\"grayscale\"}]}");
            JobContext ctx = new JobContext("job-" + i, "t1", ImageTransformType.NAME, p, 1, Instant.now().plusSeconds(120));
            results.add(lanes.submit(() -> type.handle(ctx)));
        }
        int code = 0;
        for (Future<Outcome> f : results) {
            try {
                Outcome o = f.get();
                System.out.println("outcome=" + (o instanceof Outcome.Succeeded ? "succeeded" : o));
                code = o instanceof Outcome.Succeeded ? code : Math.max(code, 1);
            } catch (ExecutionException e) {
                System.out.println("failed=" + e.getCause());
                code = e.getCause() instanceof OutOfMemoryError ? 3 : Math.max(code, 2);
            }
        }
        System.out.println("ms=" + (System.nanoTime() - t0) / 1_000_000);
        lanes.shutdownNow();
        System.exit(code);
    }
}
