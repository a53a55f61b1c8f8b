package io.durablejobs.functions.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.topology.TopologyJson;
import io.durablejobs.core.type.JobTypeRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * infra/topology.json (read by CDK and Terraform) must be exactly what the runtime's topology definition
 * makes for every registered job type with the default settings. Regenerate it with {@code ./dev topology}.
 */
class TopologyDriftTest {
    @Test
    void committedTopologyJson_matchesTheRuntimeDefinition() throws Exception {
        String expected = TopologyJson.toPrettyString(JobsConfig.DEFAULTS.topology(JobTypeRegistry.fromServiceLoader().names()));
        String committed = Files.readString(Path.of("../../infra/topology.json"));
        assertThat(committed).as("infra/topology.json is stale: run ./dev topology").isEqualTo(expected);
    }
}
