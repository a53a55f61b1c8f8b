package io.durablejobs.infra.stack;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * One role per function with one explicit policy, and no AWS managed policy (those carry Resource "*"
 * for logs). The only statements on "*" are the actions AWS offers no resource-level permission for;
 * {@link #WILDCARD_ACTIONS} lists them and the tests allow nothing else.
 */
public final class FunctionRole extends Construct {
    /** Actions that need Resource "*", and why. Kept in sync with infra/README.md "IAM". */
    public static final Map<String, String> WILDCARD_ACTIONS = Map.of(
            "ec2:CreateNetworkInterface", "Lambda in a VPC: the ENI's ARN is not known in advance",
            "ec2:DescribeNetworkInterfaces", "Describe* actions have no resource-level permissions",
            "ec2:DeleteNetworkInterface", "Lambda in a VPC: removes ENIs it created; ARNs unknown in advance",
            "ec2:AssignPrivateIpAddresses", "Lambda in a VPC (AWSLambdaVPCAccessExecutionRole equivalent)",
            "ec2:UnassignPrivateIpAddresses", "Lambda in a VPC (AWSLambdaVPCAccessExecutionRole equivalent)",
            "ec2:DescribeSubnets", "RabbitMQ event-source mapping: Describe* has no resource-level permissions",
            "ec2:DescribeSecurityGroups", "RabbitMQ event-source mapping: Describe* has no resource-level permissions",
            "ec2:DescribeVpcs", "RabbitMQ event-source mapping: Describe* has no resource-level permissions",
            "cloudwatch:PutMetricData", "no resource-level permissions; narrowed by the cloudwatch:namespace condition");

    private final Role role;
    private final Policy policy;

    public FunctionRole(Construct scope, String id, String description) {
        super(scope, id);
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(description)
                .build();
        this.policy = Policy.Builder.create(this, "Policy").build();
        policy.attachToRole(role);
        allow(List.of("ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"), List.of("*"));
    }

    public void allow(List<String> actions, List<String> resources) {
        policy.addStatements(PolicyStatement.Builder.create().effect(Effect.ALLOW)
                .actions(actions).resources(resources).build());
    }

    /** ListBucket on the bucket, only for keys under {@code prefix} (also what turns a missing object's 403 into 404). */
    public void allowList(String bucketArn, String prefix) {
        policy.addStatements(PolicyStatement.Builder.create().effect(Effect.ALLOW)
                .actions(List.of("s3:ListBucket")).resources(List.of(bucketArn))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", List.of(prefix + "*"))))
                .build());
    }

    public void allowMetrics(String metricsNamespace) {
        policy.addStatements(PolicyStatement.Builder.create().effect(Effect.ALLOW)
                .actions(List.of("cloudwatch:PutMetricData")).resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", metricsNamespace)))
                .build());
    }

    public Role role() {
        return role;
    }

    public Policy policy() {
        return policy;
    }
}
