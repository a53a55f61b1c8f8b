package io.durablejobs.infra.stack;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.constructs.IConstruct;

/**
 * The cdk-nag AwsSolutions findings this design answers otherwise, each with its reason (infra/README.md
 * "Security checks"). Everything else the checks flag is fixed in the constructs, and the tests fail on any
 * new finding.
 */
final class NagAnswers {
    private NagAnswers() {
    }

    record Parts(Functions functions, Broker broker, Cache cache, AppSecrets secrets, Storage storage, Network net, Api api,
                 TopologyDeployment topology) {
    }

    static void apply(Parts p) {
        for (String name : p.functions().all().keySet()) {
            suppress(p.functions().get(name), false, answer("AwsSolutions-L1",
                    "java21 on purpose: the functions are compiled for Java 21 (release 21); java21 is a supported Amazon Linux 2023 "
                            + "runtime, and the Terraform provider the parity test plans with knows it"));
            suppress(p.functions().roleOf(name).policy(), false, NagPackSuppression.builder().id("AwsSolutions-IAM5")
                    .reason("Resource * only for the actions AWS offers no resource-level permission for (ENI management and "
                            + "Describe* for Lambda in a VPC and the RabbitMQ mapping; PutMetricData, narrowed by a namespace "
                            + "condition): FunctionRole.WILDCARD_ACTIONS. Object grants are per prefix (blobs/*, dead-letters/*) "
                            + "because object keys are job ids, unknown in advance")
                    .appliesTo(List.of("Resource::*", RegexAppliesTo.builder()
                            .regex("/^Resource::<StorageBucket[A-Za-z0-9]+\\.Arn>\\/(blobs|dead-letters)\\/\\*$/").build()))
                    .build());
        }
        String noRotation = "no rotation Lambda exists for this credential's consumer; it is rotated by the documented blue/green "
                + "procedure (infra/README.md Operate), and readers re-read it at init";
        suppress(p.broker().secret(), false, answer("AwsSolutions-SMG4", "Amazon MQ for RabbitMQ users change on the broker, not through "
                + "Secrets Manager: " + noRotation));
        suppress(p.cache().secret(), false, answer("AwsSolutions-SMG4", "the ElastiCache RBAC user's password changes with the user: " + noRotation));
        suppress(p.secrets().apiKeys(), false, answer("AwsSolutions-SMG4", "tenant API keys are issued and revoked by editing the JSON "
                + "(several keys per tenant may coexist); an automatic rotation would lock every client out"));
        suppress(p.secrets().webhookSigning(), false, answer("AwsSolutions-SMG4", "webhook receivers verify with this key; rotating it is "
                + "coordinated with them, not scheduled"));
        suppress(p.storage().bucket(), false, answer("AwsSolutions-S1", "server access logs need a second bucket per stage; only the "
                + "functions' roles read and write it, and CloudTrail data events give an object-level audit trail where wanted"));
        suppress(p.net().vpc(), false, answer("AwsSolutions-VPC7", "flow logs are billed per GB ingested; all traffic is private between "
                + "the functions, broker, cache and AWS APIs, and the security groups admit only the functions' group"));
        suppress(p.api().api(), true, answer("AwsSolutions-APIG4", "the submit function authenticates every request with a bearer key "
                + "itself, so failures answer RFC 9457 problem+json exactly as the local host does; a gateway authorizer would "
                + "answer with its own body and add a cold start (infra/README.md IAM)"));
        suppress(p.topology(), true, NagPackSuppression.builder().id("AwsSolutions-IAM4")
                .reason("the CDK provider framework's own function uses AWSLambdaBasicExecutionRole, as CDK creates it; it only "
                        + "invokes the topology deployer").appliesTo(List.of(
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")).build());
        suppress(p.topology(), true, NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .reason("the provider framework may invoke any version of the topology deployer (function ARN plus :*), as CDK grants it")
                .appliesTo(List.of(RegexAppliesTo.builder().regex("/^Resource::<Functionstopologydeployer[A-Za-z0-9]+\\.Arn>:\\*$/").build()))
                .build());
        suppress(p.topology(), true, answer("AwsSolutions-L1", "the provider framework's function runtime is chosen by CDK"));
    }

    private static NagPackSuppression answer(String id, String reason) {
        return NagPackSuppression.builder().id(id).reason(reason).build();
    }

    private static void suppress(IConstruct target, boolean children, NagPackSuppression s) {
        NagSuppressions.addResourceSuppressions(target, List.of(s), children);
    }
}
