package io.durablejobs.infra;

import io.durablejobs.infra.model.DeploymentInputs;
import io.durablejobs.infra.stack.JobsStack;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app. Context (-c key=value):
 * <ul>
 *   <li>{@code stage}: dev (single broker) or prod (cluster); a key of infra/platform.json "stages". Default dev.</li>
 *   <li>{@code artifacts}: required (cdk.json), auto or placeholder; see ArtifactCode.</li>
 *   <li>{@code repoRoot}, {@code functionsFile}: where the inputs are; found from the working directory by default.</li>
 *   <li>{@code alarmEmail}: subscribe an address to the alarm topic.</li>
 *   <li>{@code tunnelHost}: true adds an SSM-managed host for port forwarding to the broker (infra/README.md).</li>
 * </ul>
 */
public final class JobsApp {
    private JobsApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    public static JobsStack build(App app) {
        String stage = context(app, "stage", "dev");
        Path root = DeploymentInputs.findRepoRoot(context(app, "repoRoot", System.getProperty("jobs.repo.root")));
        String functionsFile = context(app, "functionsFile", null);
        DeploymentInputs in = DeploymentInputs.load(root,
                functionsFile == null ? root.resolve("functions/functions.json") : root.resolve(functionsFile),
                stage, context(app, "artifacts", "auto"));
        Environment.Builder env = Environment.builder();
        if (System.getenv("CDK_DEFAULT_ACCOUNT") != null) {
            env.account(System.getenv("CDK_DEFAULT_ACCOUNT"));
        }
        if (System.getenv("CDK_DEFAULT_REGION") != null) {
            env.region(System.getenv("CDK_DEFAULT_REGION"));
        }
        return new JobsStack(app, "DurableJobs-" + in.namespace() + "-" + stage,
                StackProps.builder().env(env.build())
                        .description("Durable job platform: namespace " + in.namespace() + ", stage " + stage).build(),
                in, new JobsStack.Options(context(app, "alarmEmail", null), Boolean.parseBoolean(context(app, "tunnelHost", "false"))));
    }

    private static String context(App app, String key, String fallback) {
        Object v = app.getNode().tryGetContext(key);
        return v == null ? fallback : v.toString();
    }
}
