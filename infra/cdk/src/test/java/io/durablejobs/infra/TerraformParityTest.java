package io.durablejobs.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CDK and Terraform describe the same system: the functions (sizes, handlers, env names, JOBS_SHARDS), the mappings
 * (queue, function, batch, auth), the alarms (metric, threshold, ...), the routes and their throttles, the
 * broker, the topology the deploy step declares, each function's IAM statements (actions and conditions),
 * the DLQ metrics schedule, the SnapStart aliases, the VPC endpoints and the topology step's properties must be equal between the synthesized template and an
 * offline `terraform plan` (fake credentials, provider from the local mirror, via terraform/test.sh).
 * Skipped, with the reason printed, where terraform or the provider mirror is absent.
 */
class TerraformParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Plan prodPlan;
    private static Plan fixturePlan;

    /** Both plans start at once (each in its own terraform data dir): they are most of this test's time. */
    @BeforeAll
    static void startPlans() throws Exception {
        assumeTrue(onPath("terraform"), () -> skip("terraform is not installed"));
        prodPlan = Plan.start("prod", null);
        fixturePlan = Plan.start("dev", Synth.FIXTURE_FUNCTIONS);
    }

    @Test
    void prodStage_realFunctionTable_terraformPlanMatchesCdkTemplate() throws Exception {
        compare(Synth.stage("prod"), prodPlan);
    }

    @Test
    void devStage_shardedAndDeadQueueFixture_terraformPlanMatchesCdkTemplate() throws Exception {
        compare(Synth.fixture("dev"), fixturePlan);
    }

    private static void compare(Synth.Result cdk, Plan running) throws Exception {
        JsonNode plan = running.await();
        ParitySummary c = ParitySummary.fromCdk(cdk.json());
        ParitySummary t = ParitySummary.fromPlan(plan);
        assertThat(t.mappings()).as("event-source mappings").isNotEmpty().isEqualTo(c.mappings());
        assertThat(t.functions()).as("functions").isNotEmpty().isEqualTo(c.functions());
        assertThat(t.alarms()).as("alarms").isNotEmpty().isEqualTo(c.alarms());
        assertThat(t.routes()).as("routes and throttles").hasSize(19).isEqualTo(c.routes());
        assertThat(t.broker()).as("broker").isEqualTo(c.broker());
        assertThat(t.deployTopology()).as("topology declared at deploy time").isNotNull().isEqualTo(c.deployTopology());
        assertThat(t.permissions()).as("IAM statements per function (actions and conditions)").isNotEmpty().isEqualTo(c.permissions());
        assertThat(t.schedules()).as("EventBridge rules: DLQ metrics, scheduler").isNotEmpty().isEqualTo(c.schedules());
        assertThat(t.wiring()).as("aliases, VPC endpoints, topology step properties").containsKeys("endpoint s3", "topology properties")
                .isEqualTo(c.wiring());
    }

    private record Plan(Process process, Path out, Path log) {
        static Plan start(String stage, Path functionsFile) throws Exception {
            Path script = Synth.REPO_ROOT.resolve("terraform/test.sh");
            Path out = Path.of("target/terraform-plan-" + stage + (functionsFile == null ? "" : "-fixture") + ".json").toAbsolutePath();
            Path log = Path.of(out + ".log");
            Files.createDirectories(out.getParent());
            Files.deleteIfExists(out);
            List<String> cmd = new ArrayList<>(List.of("bash", script.toString(), "plan-json", out.toString(), "-var", "stage=" + stage));
            if (functionsFile != null) {
                cmd.addAll(List.of("-var", "functions_file=" + functionsFile));
            }
            return new Plan(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start(), out, log);
        }

        JsonNode await() throws Exception {
            assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("terraform plan within 180 s").isTrue();
            String output = Files.readString(log);
            assertThat(process.exitValue()).as("terraform/test.sh plan-json failed:\n" + output).isZero();
            assumeTrue(Files.exists(out), () -> skip(output.trim()));
            return JSON.readTree(out.toFile());
        }
    }

    private static String skip(String reason) {
        String msg = "TerraformParityTest SKIPPED: " + reason;
        System.err.println(msg);
        return msg;
    }

    private static boolean onPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, exe))) {
                return true;
            }
        }
        return false;
    }
}
