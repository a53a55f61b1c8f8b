package io.durablejobs.core.topology;

import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.type.JobTypeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the topology JSON that infra (CDK and Terraform) reads, for the job types on the classpath and
 * the settings in the environment: {@code java ... TopologyExport [--types a,b] [file]}. Without
 * {@code --types} the types are those the {@link java.util.ServiceLoader} finds.
 */
public final class TopologyExport {
    private TopologyExport() {
    }

    public static Topology fromConfig(JobsConfig config, JobTypeRegistry registry) {
        return new Topology(config.namespace(), config.queueType(), config.deliveryLimit(), config.retryTiers(), registry.names(),
                config.shards());
    }

    public static void main(String[] args) throws Exception {
        JobsConfig config = JobsConfig.fromEnv();
        java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
        java.util.Collection<String> types;
        if (rest.size() >= 2 && rest.get(0).equals("--types")) {
            types = java.util.List.of(rest.get(1).split(","));
            rest = rest.subList(2, rest.size());
        } else {
            types = JobTypeRegistry.fromServiceLoader().names();
        }
        Topology t = new Topology(config.namespace(), config.queueType(), config.deliveryLimit(), config.retryTiers(), types);
        String json = TopologyJson.toPrettyString(t);
        if (rest.isEmpty()) {
            System.out.print(json);
        } else {
            Files.writeString(Path.of(rest.get(0)), json);
        }
    }
}
