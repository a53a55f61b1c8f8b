package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./dev up} says about the tenant key. The script runs from a copy in a scratch directory (its
 * own {@code .jobs-dev}) with a stand-in JDK whose {@code java -jar} only says it started, so the test
 * touches neither the developer's dev state nor a running host. RabbitMQ and Redis must be reachable (as
 * for every IT), so the script starts nothing.
 */
class DevUpKeyMessageIT {
    @TempDir
    Path root;

    @BeforeEach
    void scratchCopy() throws Exception {
        Files.copy(Path.of("../dev"), root.resolve("dev"));
        root.resolve("dev").toFile().setExecutable(true);
        Path jar = root.resolve("local-host/target/local-host.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "not a jar: the stand-in java does not read it");
        Path java = root.resolve("jdk/bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, """
                #!/usr/bin/env bash
                if [[ "$*" == *-version* ]]; then echo '    java.specification.version = 25' >&2; exit 0; fi
                echo "stand-in host started"
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private String up(Map<String, String> extra) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("dev").toString(), "up").directory(root.toFile()).redirectErrorStream(true);
        pb.environment().remove("JOBS_API_KEYS");
        pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        pb.environment().putAll(extra);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out).as(out).contains("stand-in host started");
        return out;
    }

    @Test
    void aSuppliedTenantKey_isNeitherPrintedNorClaimedToBeStored() throws Exception {
        String key = "supplied-key-0123456789abcdef";
        String out = up(Map.of("JOBS_API_KEYS", "acme=" + key));
        assertThat(out).doesNotContain(key).doesNotContain("kept in .jobs-dev/env").contains("from your environment");
        assertThat(Files.readString(root.resolve(".jobs-dev/env"))).doesNotContain(key);
    }

    @Test
    void aGeneratedDevKey_isPrinted_andIsTheOneKeptInJobsDevEnv() throws Exception {
        String out = up(Map.of());
        String stored = Files.readAllLines(root.resolve(".jobs-dev/env")).stream().filter(l -> l.startsWith("JOBS_API_KEYS=dev="))
                .findFirst().orElseThrow().substring("JOBS_API_KEYS=dev=".length());
        assertThat(out).contains("API key for tenant dev: " + stored).contains("kept in .jobs-dev/env");
    }
}
