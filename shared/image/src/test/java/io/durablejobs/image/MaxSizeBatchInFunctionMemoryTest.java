package io.durablejobs.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The memory budget proved where it matters: a batch of images at the per-image limit, run concurrently in
 * a JVM whose heap is the function's memory size, completes without OutOfMemoryError. Scaled down to a
 * 128 MB function (images of about 5.6 MP) so it takes seconds; the proportions are those of 1024 MB and
 * 50 MP. Without the budget the same batch runs out of heap.
 */
class MaxSizeBatchInFunctionMemoryTest {
    static final int MEMORY_MB = 128;
    static final int JOBS = 5;

    @Test
    void aBatchOfMaximumSizeImages_completesInAHeapTheSizeOfTheFunctionsMemory() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx" + MEMORY_MB + "m", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), MaxSizeBatch.class.getName(), Integer.toString(JOBS));
        pb.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(MEMORY_MB));
        pb.environment().remove(ImageSettings.MAX_PIXELS);
        pb.redirectErrorStream(true);
        File log = File.createTempFile("max-size-batch", ".log");
        log.deleteOnExit();
        pb.redirectOutput(log);
        Process p = pb.start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(log.toPath(), StandardCharsets.UTF_8);
        String output = String.join("\n", lines);
        assertThat(done).as("child finished:\n" + output).isTrue();
        assertThat(output).doesNotContain("OutOfMemoryError");
        assertThat(p.exitValue()).as("exit code, output:\n" + output).isZero();
        assertThat(lines.stream().filter(l -> l.equals("outcome=succeeded"))).as(output).hasSize(JOBS);
        assertThat(output).contains("heapMiB=" + MEMORY_MB, "image=2364x2364");
    }
}
