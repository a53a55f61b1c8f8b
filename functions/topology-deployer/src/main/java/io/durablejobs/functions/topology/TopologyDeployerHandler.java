package io.durablejobs.functions.topology;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.rabbitmq.client.Connection;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.topology.TopologyJson;
import io.durablejobs.lambda.SecretsManagerFetcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declares the broker topology at deploy time, from the topology JSON infra passes (generated from the
 * runtime's own definition, shard queues included): a CDK provider-framework onEvent handler, also
 * invoked by Terraform. Create and Update declare idempotently; Delete keeps everything (queues hold
 * jobs). A conflicting declaration throws, failing the deployment before any mapping is created.
 */
public final class TopologyDeployerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyDeployerHandler.class);

    /** Where the broker is and whom to trust: read once, at init, so a bad setting stops the function there. */
    private final JobsConfig config;

    /** The deployed handler: its own environment, secrets resolved from Secrets Manager. */
    public TopologyDeployerHandler() {
        this(SecretsManagerFetcher.resolve(Env.current()));
    }

    public TopologyDeployerHandler(Map<String, String> env) {
        this.config = JobsConfig.from(env);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        String type = String.valueOf(event.get("RequestType"));
        Map<String, Object> props = (Map<String, Object>) event.getOrDefault("ResourceProperties", Map.of());
        Object topologyText = props.get("Topology");
        if (topologyText == null) {
            throw new IllegalArgumentException("ResourceProperties.Topology is missing");
        }
        TopologyJson.Declarations d = TopologyJson.parse(topologyText.toString());
        String physicalId = d.namespace() + "-topology";
        if (type.equals("Delete")) {
            LOG.info("topology {}: delete requested, keeping every exchange and queue (they hold jobs)", d.namespace());
            return Map.of("PhysicalResourceId", physicalId);
        }
        if (!type.equals("Create") && !type.equals("Update")) {
            throw new IllegalArgumentException("unknown RequestType " + type);
        }
        try (Connection c = AmqpConnections.open(config.rabbitmqUri(), "topology-deployer", config.tlsTrustStore())) {
            TopologyDeclarer.declare(c, d.exchanges(), d.queues());
        } catch (IOException e) {
            throw new UncheckedIOException("declaring topology " + d.namespace() + " failed: " + e.getMessage(), e);
        }
        LOG.info("topology {} declared: {} exchanges, {} queues", d.namespace(), d.exchanges().size(), d.queues().size());
        return Map.of("PhysicalResourceId", physicalId, "Data", Map.of("Queues", d.queues().size()));
    }
}
