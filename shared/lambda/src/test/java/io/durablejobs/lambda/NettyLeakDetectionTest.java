package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** A function's clients run without Netty's sampled leak traces unless a run asks for them. */
class NettyLeakDetectionTest {
    @Test
    void loadingTheFunctionsClients_turnsNettysLeakDetectorOff_whenNoLevelIsAskedFor() throws Exception {
        assumeTrue(System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null, "this run asks for a leak detection level");
        Class.forName(PlatformClients.class.getName(), true, getClass().getClassLoader());
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    }
}
