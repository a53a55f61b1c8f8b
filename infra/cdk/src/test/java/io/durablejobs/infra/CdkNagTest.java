package io.durablejobs.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag's AwsSolutions rules over the prod stack: no error and no warning is left unanswered. What the
 * design deliberately does otherwise is suppressed in the stack itself ({@code NagAnswers}), each with its
 * reason, so `cdk synth` with the checks shows the same.
 */
class CdkNagTest {

    @Test
    void prodStack_passesAwsSolutionsChecks_everyExceptionSuppressedWithItsReason() {
        App app = new App(AppProps.builder().context(Map.of(
                "stage", "prod", "artifacts", "placeholder", "repoRoot", Synth.REPO_ROOT.toString())).build());
        var stack = JobsApp.build(app);
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        Annotations annotations = Annotations.fromStack(stack);
        List<String> findings = new ArrayList<>();
        for (SynthesisMessage m : annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
            findings.add("ERROR " + m.getId() + ": " + m.getEntry().getData());
        }
        for (SynthesisMessage m : annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))) {
            findings.add("WARN " + m.getId() + ": " + m.getEntry().getData());
        }
        assertThat(findings).as(String.join("\n", findings)).isEmpty();
    }
}
