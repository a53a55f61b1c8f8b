package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import io.durablejobs.infra.model.FunctionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.constructs.Construct;

/**
 * Invokes each DLQ consumer (trigger role dead) with {@code {}} on platform.json {@code dlqMetricsSchedule}
 * (every minute). An empty event records nothing and pushes DeadLetters 0, DlqDepth, DlqOldestAgeSeconds,
 * LedgerMismatch and LedgerInFlight, so the age and ledger alarms see data when no dead letter arrives
 * (the mapping only invokes the consumer when one does). Rule name {@code <ns>-<stage>-<function>-metrics}.
 */
public final class DlqMetricsSchedule extends Construct {
    private final List<Rule> rules = new ArrayList<>();

    public DlqMetricsSchedule(Construct scope, String id, DeploymentInputs in, Functions functions) {
        super(scope, id);
        String expression = in.platform().path("dlqMetricsSchedule").asText("rate(1 minute)");
        for (FunctionSpec f : in.functions()) {
            if (!f.trigger().isQueue() || !"dead".equals(f.trigger().role())) {
                continue;
            }
            Rule rule = Rule.Builder.create(this, f.name() + "-metrics")
                    .ruleName(in.prefix() + "-" + f.name() + "-metrics")
                    .description("Pushes the DLQ and ledger metrics of " + in.prefix() + " even when no dead letter arrives")
                    .schedule(Schedule.expression(expression))
                    .build();
            rule.addTarget(LambdaFunction.Builder.create(functions.invokeTarget(f.name()))
                    .event(RuleTargetInput.fromObject(Map.of())).build());
            rules.add(rule);
        }
    }

    public List<Rule> rules() {
        return rules;
    }
}
