package io.durablejobs.functions.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.adapters.testing.TestCertificates;
import io.durablejobs.adapters.testing.ThrowawayRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minimized jar still has every class the Redis client loads at run time, TLS included, and still logs: a fresh JVM with
 * nothing but the shaded jar on its class path (and one probe class compiled against that jar alone) opens a
 * {@code rediss://} session to a TLS-only redis-server with certificates from a test authority, verifies the
 * peer, writes and reads a key, and refuses a trusted certificate issued for another name. Netty and Lettuce
 * are minimized like the rest of the jar, so a class they pick by name that the minimizer dropped would fail
 * here (NoClassDefFoundError, or a handshake that never completes) rather than on AWS.
 */
class SubmitJarRunsIT {
    static final String PROBE = """
            import io.durablejobs.adapters.redis.RedisSession;
            import io.durablejobs.core.config.JobsConfig;
            import java.time.Duration;
            import java.util.Map;

            public class JarProbe {
                public static void main(String[] a) throws Exception {
                    var trust = JobsConfig.from(Map.of("JOBS_TLS_TRUST_STORE", a[1])).tlsTrustStore();
                    try (RedisSession s = RedisSession.open(a[0], false, Duration.ofSeconds(10), trust)) {
                        s.commands().set(a[2], "from-the-shaded-jar");
                        System.out.println("ANSWER " + s.commands().get(a[2]));
                        org.slf4j.LoggerFactory.getLogger("jar-probe").info("logged from the shaded jar");
                    } catch (Exception e) {
                        Throwable t = e;
                        StringBuilder chain = new StringBuilder();
                        while (t != null) {
                            chain.append(t).append(" | ");
                            t = t.getCause();
                        }
                        System.out.println("REFUSED " + chain);
                    }
                }
            }
            """;

    static TestCertificates ca;
    static ThrowawayRedis rightName;
    static ThrowawayRedis otherName;

    @BeforeAll
    static void start() throws Exception {
        ca = new TestCertificates("durable-jobs test CA (submit jar)");
        TestCertificates.Issued right = ca.issue("localhost", "127.0.0.1");
        TestCertificates.Issued wrong = ca.issue("redis.elsewhere.example");
        rightName = ThrowawayRedis.tls(right.certPem(), right.keyPem(), ca.caPem());
        otherName = ThrowawayRedis.tls(wrong.certPem(), wrong.keyPem(), ca.caPem());
    }

    @AfterAll
    static void stop() throws Exception {
        if (rightName != null) {
            rightName.close();
        }
        if (otherName != null) {
            otherName.close();
        }
    }

    static Path shadedJar() {
        Path jar = Path.of(System.getProperty("submit.lambda.jar", "target/submit-function-lambda.jar"));
        assertThat(jar).as("the shaded jar of this build (package phase)").isRegularFile();
        return jar;
    }

    /** Compiles the probe against the shaded jar alone and runs it in a fresh JVM with that jar only. */
    static String runProbe(Path dir, String uri) throws IOException, InterruptedException {
        Path jar = shadedJar();
        Path src = Files.writeString(dir.resolve("JarProbe.java"), PROBE);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null, "-cp", jar.toString(), "-d", classes.toString(), src.toString());
        assertThat(compiled).as("the probe compiles against the shaded jar alone").isZero();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar + java.io.File.pathSeparator + classes, "JarProbe", uri, ca.caPem().toString(), "submit-jar-runs-it"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("the probe ended; its output: %s", out).isTrue();
        assertThat(out).as("no class missing from the jar").doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
        return out;
    }

    @Test
    void fromTheShadedJarAlone_redissVerifiesThePeer_andCommandsWork(@TempDir Path dir) throws Exception {
        String out = runProbe(dir, "rediss://localhost:" + rightName.port());
        assertThat(out).contains("ANSWER from-the-shaded-jar");
        // Logging is configured in code from the jar's own classes: a class the minimizer dropped would leave
        // the function silent on AWS, with no error to see.
        assertThat(out).as("a JSON log line from the jar's logging").contains("\"level\":\"INFO\"", "\"formattedMessage\":\"logged from the shaded jar\"");
    }

    @Test
    void fromTheShadedJarAlone_aCertificateForAnotherName_isRefused(@TempDir Path dir) throws Exception {
        String out = runProbe(dir, "rediss://localhost:" + otherName.port());
        assertThat(out).contains("REFUSED").contains("No subject alternative DNS name matching localhost");
    }
}
