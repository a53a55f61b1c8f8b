package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import io.durablejobs.infra.model.QueuePlan;
import java.util.List;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.CfnEventSourceMapping;
import software.constructs.Construct;

/**
 * One L1 mapping per queue of the {@link QueuePlan} (the L2 has no {@code queues}): exactly one queue,
 * BASIC_AUTH with the broker secret and VIRTUAL_HOST. Each mapping runs one concurrent environment of its
 * function, so sharding a type over N queues gives it N.
 */
public final class EventSourceMappings extends Construct {

    public EventSourceMappings(Construct scope, String id, DeploymentInputs in, Broker broker, Functions functions,
                               TopologyDeployment topology) {
        super(scope, id);
        String vhost = in.platform().path("broker").path("virtualHost").asText("/");
        for (QueuePlan.Mapping m : in.queuePlan().mappings()) {
            CfnEventSourceMapping.Builder b = CfnEventSourceMapping.Builder.create(this, m.queue())
                    .eventSourceArn(broker.arn())
                    // A SnapStart function is invoked through its alias (its ARN); others by name, as before.
                    .functionName(functions.invokeTarget(m.function().name()) instanceof Alias alias
                            ? alias.getFunctionArn() : functions.get(m.function().name()).getFunctionName())
                    .queues(List.of(m.queue()))
                    .batchSize(m.function().batchSize())
                    .enabled(true)
                    .sourceAccessConfigurations(List.of(
                            CfnEventSourceMapping.SourceAccessConfigurationProperty.builder()
                                    .type("BASIC_AUTH").uri(broker.secret().getSecretArn()).build(),
                            CfnEventSourceMapping.SourceAccessConfigurationProperty.builder()
                                    .type("VIRTUAL_HOST").uri(vhost).build()));
            Integer window = batchingWindowSeconds(m.function().batchWindowMs());
            if (window != null) {
                b.maximumBatchingWindowInSeconds(window);
            }
            if (window != null && window * 1000 != m.function().batchWindowMs()) {
                Annotations.of(this).addWarning(m.function().name() + ": batchWindowMs " + m.function().batchWindowMs()
                        + " rounded up to " + window + " s (the mapping takes whole seconds; 500 ms is its default)");
            }
            CfnEventSourceMapping mapping = b.build();
            mapping.getNode().addDependency(functions.roleOf(m.function().name()).policy());
            mapping.getNode().addDependency(topology.resource());
        }
    }

    /**
     * The mapping's window is whole seconds; unset means AWS's default of 500 ms. So 500 maps to unset, whole
     * seconds map exactly, anything else rounds up. Terraform applies the same rule (locals.tf).
     */
    public static Integer batchingWindowSeconds(int ms) {
        if (ms == 500) {
            return null;
        }
        return (ms + 999) / 1000;
    }
}
