package io.durablejobs.functions.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The submit function's deployable jar stays within its size budget. Lambda reads the whole jar into a new
 * execution environment before the JVM starts, and every class in it widens what the class loader scans,
 * so the API's cold start grows with it. Runs in the integration-test phase, after the package phase of
 * the same build has shaded the jar: the jar checked is the one this build made from these sources.
 */
class SubmitJarBudgetIT {
    /**
     * The budget, in bytes: the target for the API's function (the jar is 11,982,426 bytes, with no AWS SDK, and
     * Netty, the adapters and the Lambda edge minimized); raise it only with a reason: what the new dependency
     * buys the API.
     */
    static final long BUDGET_BYTES = 12_000_000L;

    /** Libraries of the workers' job types: the submit function validates payloads with the specs only. */
    static final List<String> WORKER_ONLY = List.of("org/apache/pdfbox/", "com/twelvemonkeys/", "org/apache/hc/", "org/joda/");

    /**
     * The S3 client and the stores over it: the blob and dead-letter routes are the store API function's, so
     * the submit function neither carries the SDK's S3 classes nor builds an S3 client at init.
     */
    static final List<String> STORE_API_ONLY = List.of("software/amazon/awssdk/services/s3/", "io/durablejobs/blob/s3/", "io/durablejobs/aws/");

    /** No AWS SDK at all: secrets are read with one signed request over the JDK's HTTP client. */
    static final List<String> NO_SDK = List.of("software/amazon/awssdk/");

    @Test
    void theShadedJar_isWithinItsBudget_andCarriesNoWorkerLibraryNorTheSdk() throws IOException {
        Path jar = Path.of(System.getProperty("submit.lambda.jar", "target/submit-function-lambda.jar"));
        assertThat(jar).as("the shaded jar of this build (package phase)").isRegularFile();
        Path handler = Path.of(System.getProperty("submit.classes", "target/classes"),
                "io/durablejobs/functions/submit/SubmitHandler.class");
        // Not a jar left over from an older build: shaded after this build compiled the handler.
        assertThat(Files.getLastModifiedTime(jar).toMillis()).as("jar shaded after the handler was compiled")
                .isGreaterThanOrEqualTo(Files.getLastModifiedTime(handler).toMillis());
        assertThat(Files.size(jar)).as("bytes of %s (budget %d)", jar.getFileName(), BUDGET_BYTES).isLessThanOrEqualTo(BUDGET_BYTES);
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertThat(zip.getEntry("io/durablejobs/functions/submit/SubmitHandler.class")).isNotNull();
            List<String> strays = zip.stream().map(e -> e.getName())
                    .filter(n -> WORKER_ONLY.stream().anyMatch(n::startsWith)).limit(5).toList();
            assertThat(strays).as("classes of the workers' libraries in the submit jar").isEmpty();
            List<String> s3 = zip.stream().map(e -> e.getName())
                    .filter(n -> STORE_API_ONLY.stream().anyMatch(n::startsWith)).limit(5).toList();
            assertThat(s3).as("S3 classes in the submit jar (the store routes are store-api's)").isEmpty();
            List<String> sdk = zip.stream().map(e -> e.getName())
                    .filter(n -> NO_SDK.stream().anyMatch(n::startsWith)).limit(5).toList();
            assertThat(sdk).as("AWS SDK classes in the submit jar (secrets are read without it)").isEmpty();
        }
    }

    /**
     * The jar is minimized, our own adapters and Lambda edge included: nothing left in it may refer to a class of
     * ours that minimizing dropped (it would fail with NoClassDefFoundError on the first request that reaches it).
     * The libraries' own missing references (optional integrations they probe for) are theirs and not checked.
     */
    @Test
    void theShadedJar_missesNoClassOfOurs() {
        Path jar = Path.of(System.getProperty("submit.lambda.jar", "target/submit-function-lambda.jar"));
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(out), "--multi-release", Integer.toString(Runtime.version().feature()),
                "--missing-deps", jar.toString());
        List<String> ours = out.toString().lines().filter(l -> l.contains("not found"))
                .filter(l -> l.replaceFirst("^\\s*\\S+\\s+->\\s+", "").startsWith("io.durablejobs.")).limit(10).toList();
        assertThat(rc).as("jdeps ran: %s", out.toString().lines().limit(5).toList()).isZero();
        assertThat(ours).as("references to classes of ours missing from the jar").isEmpty();
    }
}
