package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.BastionHostLinux;
import software.constructs.Construct;

/** The whole deployment of one namespace and stage. Each part is its own construct; this only wires them. */
public final class JobsStack extends Stack {
    private final Functions functions;

    public record Options(String alarmEmail, boolean tunnelHost) {
    }

    public JobsStack(Construct scope, String id, StackProps props, DeploymentInputs in, Options options) {
        super(scope, id, withProdProtection(props, in));
        Tags.of(this).add("jobs:namespace", in.namespace());
        Tags.of(this).add("jobs:stage", in.stage());
        Network net = new Network(this, "Network", in);
        Broker broker = new Broker(this, "Broker", in, net);
        Cache cache = new Cache(this, "Cache", in, net);
        Storage storage = new Storage(this, "Storage", in);
        AppSecrets secrets = new AppSecrets(this, "Secrets", in);
        this.functions = new Functions(this, "Functions", new Functions.Shared(in, net, broker, cache, storage, secrets));
        TopologyDeployment topology = new TopologyDeployment(this, "TopologyDeployment", in,
                functions.get(in.deployFunctions().get(0).name()), broker);
        new EventSourceMappings(this, "Mappings", in, broker, functions, topology);
        Api api = new Api(this, "Api", in, functions);
        Monitoring monitoring = new Monitoring(this, "Monitoring", in, functions, api.api(), options.alarmEmail());
        new DlqMetricsSchedule(this, "DlqMetricsSchedule", in, functions);
        new FunctionSchedules(this, "FunctionSchedules", in, functions);
        NagAnswers.apply(new NagAnswers.Parts(functions, broker, cache, secrets, storage, net, api, topology));
        if (options.tunnelHost()) {
            BastionHostLinux host = BastionHostLinux.Builder.create(this, "TunnelHost")
                    .vpc(net.vpc()).subnetSelection(net.privateSubnets()).build();
            net.allowTunnelHost(host.getConnections().getSecurityGroups().get(0));
            CfnOutput.Builder.create(this, "TunnelHostId").value(host.getInstanceId()).build();
        }
        CfnOutput.Builder.create(this, "ApiUrl").value(api.api().getApiEndpoint()).build();
        CfnOutput.Builder.create(this, "BrokerSecretArn").value(broker.secret().getSecretArn()).build();
        CfnOutput.Builder.create(this, "BrokerAmqpsUri").value(broker.amqpsUri()).build();
        CfnOutput.Builder.create(this, "ApiKeysSecretArn").value(secrets.apiKeys().getSecretArn()).build();
        CfnOutput.Builder.create(this, "BucketName").value(storage.bucket().getBucketName()).build();
        CfnOutput.Builder.create(this, "AlarmTopicArn").value(monitoring.topic().getTopicArn()).build();
    }

    /** prod: termination protection, so `cdk destroy` or a deleted stack cannot take the broker's jobs or the bucket with it. */
    private static StackProps withProdProtection(StackProps props, DeploymentInputs in) {
        return StackProps.builder().env(props.getEnv()).description(props.getDescription())
                .terminationProtection(in.isProd()).build();
    }

    public Functions functions() {
        return functions;
    }
}
