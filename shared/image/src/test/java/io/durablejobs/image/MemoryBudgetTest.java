package io.durablejobs.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    static final long MIB = 1024 * 1024;

    @Test
    void budget_isTheSmallerOfFunctionMemoryAndHeap_lessAQuarter() {
        assertThat(MemoryBudget.of(1024, 8192 * MIB).totalBytes()).isEqualTo(768 * MIB);
        assertThat(MemoryBudget.of(1024, 512 * MIB).totalBytes()).isEqualTo(384 * MIB);
        assertThat(MemoryBudget.of(0, 2048 * MIB).totalBytes()).isEqualTo(1536 * MIB);
        assertThat(MemoryBudget.of(128, 8192 * MIB).totalBytes()).as("at least 64 MiB of headroom").isEqualTo(64 * MIB);
        // 1024 MB keeps the 50 MP default; 512 MB lowers it to 33.5 MP.
        assertThat(MemoryBudget.of(1024, 8192 * MIB).pixelLimit()).isGreaterThan(50_000_000L);
        assertThat(MemoryBudget.of(512, 8192 * MIB).pixelLimit()).isEqualTo(384 * MIB / 12);
    }

    @Test
    void permits_admitWhatFits_andTheRestWaitsUntilReleased() throws Exception {
        MemoryBudget b = MemoryBudget.of(128, 8192 * MIB);
        MemoryBudget.Permit first = b.acquire(40 * MIB, Duration.ZERO).orElseThrow();
        assertThat(b.acquire(40 * MIB, Duration.ofMillis(100))).isEmpty();
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            first.close();
        });
        release.start();
        Optional<MemoryBudget.Permit> second = b.acquire(40 * MIB, Duration.ofSeconds(5));
        assertThat(second).isPresent();
        first.close(); // closing twice gives back once
        second.get().close();
        assertThat(b.availableBytes()).isEqualTo(64 * MIB);
        // More than the whole budget is capped to it (the pixel limit keeps real jobs under it anyway).
        try (MemoryBudget.Permit all = b.acquire(10_000 * MIB, Duration.ZERO).orElseThrow()) {
            assertThat(b.availableBytes()).isZero();
        }
    }

    @Test
    void peakPixels_followsTheLargestRasterOfAnyStep() {
        var header = new ImageDecoder.Header("png", 4000, 3000, 1, 1);
        assertThat(ImageDecoder.peakPixels(header, List.of())).isEqualTo(12_000_000L);
        assertThat(ImageDecoder.peakPixels(header, List.of(new Operation.Resize(8000, null, Fit.CONTAIN)))).isEqualTo(48_000_000L);
        assertThat(ImageDecoder.peakPixels(header, List.of(new Operation.Crop(0, 0, 100, 100), new Operation.Resize(2000, 2000, Fit.FILL))))
                .isEqualTo(12_000_000L);
        var subsampled = new ImageDecoder.Header("jpeg", 4000, 3000, 1, 5);
        assertThat(ImageDecoder.peakPixels(subsampled, List.of(new Operation.Resize(400, null, Fit.CONTAIN)))).isEqualTo(800L * 600);
    }
}
