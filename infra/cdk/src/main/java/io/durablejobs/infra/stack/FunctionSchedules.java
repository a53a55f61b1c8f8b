package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import io.durablejobs.infra.model.FunctionSpec;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.constructs.Construct;

/**
 * One EventBridge rule per function whose trigger is {@code {"kind": "schedule", "expression": ...}} (the
 * scheduler, every minute): the rule invokes it with EventBridge's own scheduled event. Rule name
 * {@code <ns>-<stage>-<function>}; Terraform's {@code aws_cloudwatch_event_rule.scheduled} is the same.
 */
public final class FunctionSchedules extends Construct {
    private final List<Rule> rules = new ArrayList<>();

    public FunctionSchedules(Construct scope, String id, DeploymentInputs in, Functions functions) {
        super(scope, id);
        for (FunctionSpec f : in.functions()) {
            if (!f.trigger().isSchedule()) {
                continue;
            }
            Rule rule = Rule.Builder.create(this, f.name())
                    .ruleName(in.prefix() + "-" + f.name())
                    .description("Runs " + f.name() + " of " + in.prefix() + " on " + f.trigger().expression())
                    .schedule(Schedule.expression(f.trigger().expression()))
                    .build();
            rule.addTarget(LambdaFunction.Builder.create(functions.invokeTarget(f.name())).build());
            rules.add(rule);
        }
    }

    public List<Rule> rules() {
        return rules;
    }
}
