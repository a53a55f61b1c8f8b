package io.durablejobs.infra.stack;

import io.durablejobs.infra.model.DeploymentInputs;
import java.util.List;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/**
 * The VPC and the three security groups. The broker and the cache accept connections only from the
 * functions' group; the broker also from itself, because the RabbitMQ event-source mapping's pollers run
 * with the broker's own security group. Private subnets reach Lambda, STS and Secrets Manager through NAT,
 * which the mappings need; S3 through a gateway endpoint.
 */
public final class Network extends Construct {
    public static final int AMQPS = 5671;
    public static final int REDIS = 6379;
    public static final int REDIS_READER = 6380;

    private final Vpc vpc;
    private final SecurityGroup functions;
    private final SecurityGroup broker;
    private final SecurityGroup cache;

    public Network(Construct scope, String id, DeploymentInputs in) {
        super(scope, id);
        this.vpc = Vpc.Builder.create(this, "Vpc")
                .maxAzs(in.stageSettings().path("maxAzs").asInt(2))
                .natGateways(in.stageSettings().path("natGateways").asInt(1))
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS).cidrMask(20).build()))
                .build();
        // S3 through a gateway endpoint (free): blob and dead-letter traffic skips the NAT gateways' per-GB charge.
        vpc.addGatewayEndpoint("S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3)
                .subnets(List.of(privateSubnets())).build());
        this.functions = SecurityGroup.Builder.create(this, "FunctionsSg").vpc(vpc)
                .description("Lambda functions of the job platform").allowAllOutbound(true).build();
        this.broker = SecurityGroup.Builder.create(this, "BrokerSg").vpc(vpc)
                .description("Amazon MQ broker: AMQPS from the functions and the event-source mapping pollers")
                .allowAllOutbound(true).build();
        this.cache = SecurityGroup.Builder.create(this, "CacheSg").vpc(vpc)
                .description("ElastiCache: only from the functions").allowAllOutbound(false).build();
        broker.addIngressRule(functions, Port.tcp(AMQPS), "functions to broker (amqps)");
        broker.addIngressRule(broker, Port.tcp(AMQPS), "event-source mapping pollers (broker SG) to broker");
        cache.addIngressRule(functions, Port.tcp(REDIS), "functions to cache");
        cache.addIngressRule(functions, Port.tcp(REDIS_READER), "functions to cache (read replicas)");
    }

    public IVpc vpc() {
        return vpc;
    }

    public SecurityGroup functionsSg() {
        return functions;
    }

    public SecurityGroup brokerSg() {
        return broker;
    }

    public SecurityGroup cacheSg() {
        return cache;
    }

    public SubnetSelection privateSubnets() {
        return SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
    }

    public List<String> privateSubnetIds() {
        return vpc.selectSubnets(privateSubnets()).getSubnetIds();
    }

    /** Lets an SSM-managed tunnel host reach the broker's AMQPS and management ports (infra/README.md). */
    public void allowTunnelHost(ISecurityGroup host) {
        broker.addIngressRule(host, Port.tcp(AMQPS), "tunnel host to broker (amqps)");
        broker.addIngressRule(host, Port.tcp(443), "tunnel host to broker management UI");
        cache.addIngressRule(host, Port.tcp(REDIS), "tunnel host to cache");
        host.addEgressRule(Peer.ipv4(vpc.getVpcCidrBlock()), Port.allTcp(), "tunnel host within the VPC");
    }
}
