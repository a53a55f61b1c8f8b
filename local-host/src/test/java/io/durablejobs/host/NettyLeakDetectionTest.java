package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** The local host runs without Netty's sampled leak traces unless a run asks for them. */
class NettyLeakDetectionTest {
    @Test
    void loadingTheHost_turnsNettysLeakDetectorOff_whenNoLevelIsAskedFor() throws Exception {
        assumeTrue(System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null, "this run asks for a leak detection level");
        Class.forName(LocalHost.class.getName(), true, getClass().getClassLoader());
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    }
}
