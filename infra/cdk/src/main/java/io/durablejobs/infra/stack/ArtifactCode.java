package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import io.durablejobs.infra.model.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

/**
 * Function code from the project's own artifacts: {@code <module>/target/<artifact>-0.1.0-SNAPSHOT-lambda.jar}.
 * When the jar is not built (tests, a fresh clone) and the {@code artifacts} context is not "required", the
 * function gets the placeholder asset infra/cdk/placeholder-lambda (a README only: invoking it fails with
 * ClassNotFound), and synth prints a warning naming the missing jar. cdk.json sets artifacts=required, so a
 * real `cdk deploy` never ships a placeholder.
 */
public final class ArtifactCode {
    public static final String PLACEHOLDER_DIR = "infra/cdk/placeholder-lambda";

    private ArtifactCode() {
    }

    public static Code of(Construct scope, DeploymentInputs in, FunctionSpec f) {
        Path jar = in.repoRoot().resolve(f.jarPath());
        boolean built = Files.isRegularFile(jar);
        switch (in.artifacts()) {
            case "required":
                if (!built) {
                    throw new IllegalStateException("function '" + f.name() + "': " + jar + " is not built. Run "
                            + "`mvn -pl " + f.module() + " -am package -DskipTests` (or all functions), then synth again.");
                }
                return Code.fromAsset(jar.toString());
            case "auto":
                if (built) {
                    return Code.fromAsset(jar.toString());
                }
                Annotations.of(scope).addWarning("function '" + f.name() + "' uses the PLACEHOLDER asset: " + jar
                        + " is not built");
                return placeholder(in);
            default:
                return placeholder(in);
        }
    }

    private static Code placeholder(DeploymentInputs in) {
        return Code.fromAsset(in.repoRoot().resolve(PLACEHOLDER_DIR).toString());
    }
}
