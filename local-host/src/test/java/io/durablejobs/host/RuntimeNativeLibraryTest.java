package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RuntimeNativeLibraryTest {

    @Test
    void everyEnvironmentIsHandedOneLibraryUnpackedOnce_notTheClientsSharedTmpFile() throws Exception {
        String option = RuntimeNativeLibrary.jvmOption().orElseThrow();
        assertThat(option).startsWith("-D" + RuntimeNativeLibrary.PROPERTY + "=");
        Path lib = Path.of(option.substring(option.indexOf('=') + 1));
        assertThat(lib).isRegularFile().isNotEqualTo(Path.of("/tmp/.libaws-lambda-jni.so"));
        assertThat(Files.size(lib)).isPositive();
        // The same file for the next environment: nothing is rewritten under a JVM that has it mapped.
        long modified = Files.getLastModifiedTime(lib).toMillis();
        assertThat(RuntimeNativeLibrary.jvmOption()).contains(option);
        assertThat(Files.getLastModifiedTime(lib).toMillis()).isEqualTo(modified);
    }
}
