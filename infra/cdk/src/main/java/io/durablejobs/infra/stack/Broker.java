package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import java.util.List;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.amazonmq.CfnBroker;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * Amazon MQ for RabbitMQ (L1 only: there is no L2). Its admin credentials are generated in Secrets Manager
 * as {"username","password"}: exactly the shape the RabbitMQ event-source mapping's BASIC_AUTH expects, and
 * what the functions read through JOBS_RABBITMQ_SECRET_ARN. A cluster in prod, one instance in dev.
 *
 * <p>In prod the broker is retained when the stack is deleted or the broker would be replaced (DeletionPolicy
 * and UpdateReplacePolicy Retain): it holds the queued jobs. The password here seeds the broker's user at
 * creation only; rotation happens on the broker and the secret (infra/README.md "Rotate the broker password").
 */
public final class Broker extends Construct {
    private final CfnBroker broker;
    private final Secret secret;

    public Broker(Construct scope, String id, DeploymentInputs in, Network net) {
        super(scope, id);
        String username = in.platform().path("broker").path("username").asText();
        this.secret = Secret.Builder.create(this, "AdminSecret")
                .description("Amazon MQ admin credentials (" + in.prefix() + "); BASIC_AUTH of the event-source mappings")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{\"username\":\"" + username + "\"}")
                        .generateStringKey("password")
                        .passwordLength(32)
                        // Amazon MQ refuses , : = in passwords; alphanumerics avoid URI escaping too.
                        .excludePunctuation(true)
                        .build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        String mode = in.stageSettings().path("brokerDeploymentMode").asText();
        List<String> subnets = net.privateSubnetIds();
        this.broker = CfnBroker.Builder.create(this, "Broker")
                .brokerName(in.prefix())
                .engineType(in.platform().path("broker").path("engineType").asText("RABBITMQ"))
                .engineVersion(in.platform().path("broker").path("engineVersion").asText())
                .autoMinorVersionUpgrade(true)
                .deploymentMode(mode)
                .hostInstanceType(in.stageSettings().path("brokerInstanceType").asText())
                .publiclyAccessible(in.stageSettings().path("brokerPubliclyAccessible").asBoolean(false))
                .subnetIds("SINGLE_INSTANCE".equals(mode) ? List.of(subnets.get(0)) : subnets)
                .securityGroups(List.of(net.brokerSg().getSecurityGroupId()))
                .users(List.of(CfnBroker.UserProperty.builder()
                        .username(username)
                        .password(secret.secretValueFromJson("password").unsafeUnwrap())
                        .build()))
                .logs(CfnBroker.LogListProperty.builder().general(true).build())
                .maintenanceWindowStartTime(CfnBroker.MaintenanceWindowProperty.builder()
                        .dayOfWeek("SUNDAY").timeOfDay("03:00").timeZone("UTC").build())
                .tags(List.of(CfnBroker.TagsEntryProperty.builder().key("jobs:namespace").value(in.namespace()).build()))
                .build();
        if (in.isProd()) {
            broker.applyRemovalPolicy(RemovalPolicy.RETAIN);
        }
    }

    /** The broker's ID: a new one means a new, empty broker, which needs the topology declared again. */
    public String id() {
        return broker.getRef();
    }

    public String arn() {
        return broker.getAttrArn();
    }

    public Secret secret() {
        return secret;
    }

    /** amqps://host:5671/%2f with no credentials in it: they come from the secret at init. */
    public String amqpsUri() {
        return Fn.select(0, broker.getAttrAmqpEndpoints()) + "/%2f";
    }
}
