package io.durablejobs.infra.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.durablejobs.infra.model.DeploymentInputs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import software.amazon.awscdk.CustomResource;
import software.amazon.awscdk.customresources.Provider;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * The deploy-time step that declares the broker topology on Amazon MQ. A custom resource, through the CDK
 * provider framework, invokes the topology-deployer function (platform.json deployFunctions) with
 * {"RequestType": "Create"|"Update"|"Delete", "ResourceProperties": {"Topology": "<json>", "TopologySha256": ..., "BrokerId": ...}}.
 * The Topology is infra/topology.json plus the shard queues of {@code QueuePlan}. The handler declares every
 * exchange, queue and binding idempotently (TopologyDeclarer), ignores Delete (queues hold messages), and
 * throws on failure so the deployment rolls back. Terraform invokes the same handler with the same payload
 * (aws_lambda_invocation). The mappings depend on it: they start only once their queues exist.
 */
public final class TopologyDeployment extends Construct {
    private final CustomResource resource;

    public TopologyDeployment(Construct scope, String id, DeploymentInputs in, Function deployer, Broker broker) {
        super(scope, id);
        String topology = topologyJson(in);
        Provider provider = Provider.Builder.create(this, "Provider").onEventHandler(deployer).build();
        this.resource = CustomResource.Builder.create(this, "Topology")
                .serviceToken(provider.getServiceToken())
                .resourceType("Custom::RabbitMqTopology")
                // BrokerId: a replaced broker starts empty, so a new broker ID is an Update that declares the
                // topology again, even when the topology itself did not change.
                .properties(Map.of("Topology", topology, "TopologySha256", sha256(topology), "BrokerId", broker.id()))
                .build();
    }

    public CustomResource resource() {
        return resource;
    }

    public static String topologyJson(DeploymentInputs in) {
        try {
            return new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                    .writeValueAsString(in.queuePlan().deployTopology());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
