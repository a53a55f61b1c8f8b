package io.durablejobs.core.topology;

import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.type.JobTypeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the topology JSON that infra (CDK and Terraform) reads, for the job types on the classpath and
 * the settings in the environment: {@code java ... TopologyExport infra/topology.json}.
 */
public final class TopologyExport {
    private TopologyExport() {
    }

    public static Topology fromConfig(JobsConfig config, JobTypeRegistry registry) {
        return new Topology(config.namespace(), config.queueType(), config.deliveryLimit(), config.retryTiers(), registry.names());
    }

    public static void main(String[] args) throws Exception {
        Topology t = fromConfig(JobsConfig.fromEnv(), JobTypeRegistry.fromServiceLoader());
        String json = TopologyJson.toPrettyString(t);
        if (args.length == 0) {
            System.out.print(json);
        } else {
            Files.writeString(Path.of(args[0]), json);
        }
    }
}
