package io.durablejobs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.durablejobs.infra.model.DeploymentInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesizes each (stage, functions file) once per test JVM: every App costs seconds of jsii work, so the
 * test classes share these. Each template is also written to target/cdk-templates/ for inspection and for
 * the Terraform parity test.
 */
final class Synth {
    static final Path REPO_ROOT = DeploymentInputs.findRepoRoot(System.getProperty("jobs.repo.root"));
    static final Path FIXTURE_FUNCTIONS = Path.of("src/test/resources/functions-fixture.json").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<String, Result> CACHE = new ConcurrentHashMap<>();

    record Result(Template template, JsonNode json, DeploymentInputs inputs, Stack stack) {
    }

    /** The real functions/functions.json. */
    static Result stage(String stage) {
        return synth(stage, REPO_ROOT.resolve("functions/functions.json"));
    }

    /** A fixture with a sharded worker and a DLQ consumer (role dead), which functions.json does not have yet. */
    static Result fixture(String stage) {
        return synth(stage, FIXTURE_FUNCTIONS);
    }

    private static synchronized Result synth(String stage, Path functionsFile) {
        String key = stage + "|" + functionsFile;
        return CACHE.computeIfAbsent(key, k -> {
            App app = new App(AppProps.builder().context(Map.of(
                    "stage", stage,
                    "artifacts", "placeholder",
                    "repoRoot", REPO_ROOT.toString(),
                    "functionsFile", functionsFile.toString())).build());
            var stack = JobsApp.build(app);
            Template t = Template.fromStack(stack);
            JsonNode json = JSON.valueToTree(t.toJSON());
            try {
                Path out = Path.of("target/cdk-templates");
                Files.createDirectories(out);
                String name = stage + (functionsFile.equals(FIXTURE_FUNCTIONS) ? "-fixture" : "") + ".template.json";
                JSON.writeValue(out.resolve(name).toFile(), json);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            DeploymentInputs in = DeploymentInputs.load(REPO_ROOT, functionsFile, stage, "placeholder");
            return new Result(t, json, in, stack);
        });
    }

    private Synth() {
    }
}
