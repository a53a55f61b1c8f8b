package io.durablejobs.core.topology;

import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.type.JobTypeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes the topology JSON that infra (CDK and Terraform) reads, for the job types on the classpath and
 * the settings in the environment: {@code java ... TopologyExport [--types a,b] [file]}. Without
 * {@code --types} the types are those the {@code ServiceLoader} finds. The topology is the one
 * the functions build ({@link JobsConfig#topology}).
 */
public final class TopologyExport {
    private TopologyExport() {
    }

    public static void main(String[] args) throws Exception {
        JobsConfig config = JobsConfig.fromEnv();
        List<String> rest = new ArrayList<>(List.of(args));
        Collection<String> types;
        if (rest.size() >= 2 && rest.get(0).equals("--types")) {
            types = List.of(rest.get(1).split(","));
            rest = rest.subList(2, rest.size());
        } else {
            types = JobTypeRegistry.fromServiceLoader().names();
        }
        String json = TopologyJson.toPrettyString(config.topology(types));
        if (rest.isEmpty()) {
            System.out.print(json);
        } else {
            Files.writeString(Path.of(rest.get(0)), json);
        }
    }
}
