package io.durablejobs.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime interface client's native library, unpacked once per host for every environment JVM.
 *
 * <p>Left to itself, each runtime interface client copies its library to the one fixed path
 * {@code /tmp/.libaws-lambda-jni.so} and loads it from there. On Lambda one sandbox runs one runtime, but
 * the host starts several environment JVMs at once: one overwrote the file while another had it mapped,
 * and that JVM died of SIGBUS in the dynamic loader. The client reads a path from a system property
 * instead when one is given, so the host unpacks the library once (written aside, then moved into place)
 * and hands every environment that path.
 */
final class RuntimeNativeLibrary {
    /** The system property the runtime interface client loads its library from when set. */
    static final String PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeNativeLibrary.class);
    private static Optional<Path> unpacked;

    private RuntimeNativeLibrary() {
    }

    /** The {@code -D} option for an environment JVM, or empty when the library is not on the class path (the client then unpacks it itself). */
    static synchronized Optional<String> jvmOption() {
        if (unpacked == null) {
            unpacked = unpack();
        }
        return unpacked.map(p -> "-D" + PROPERTY + "=" + p);
    }

    private static Optional<Path> unpack() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String suffix = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
        // The glibc build, as on Lambda's Amazon Linux; the musl build on an Alpine-like host.
        String name = "libaws-lambda-jni." + (musl() ? "linux_musl-" : "linux-") + suffix + ".so";
        try (InputStream in = RuntimeNativeLibrary.class.getResourceAsStream("/jni/" + name)) {
            if (in == null) {
                return Optional.empty();
            }
            Path dir = Files.createTempDirectory("jobs-host-ric-");
            Path part = dir.resolve(name + ".part");
            Files.copy(in, part);
            Path lib = Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            lib.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return Optional.of(lib);
        } catch (IOException e) {
            LOG.warn("could not unpack the runtime interface client's library {}: {}; each environment unpacks its own", name, e.toString());
            return Optional.empty();
        }
    }

    private static boolean musl() {
        try (var files = Files.list(Path.of("/lib"))) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("ld-musl-"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
