package io.durablejobs.functions.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.topology.TopologyJson;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deploy step against the real broker: declares what infra passes, idempotently, and keeps queues on Delete. */
class TopologyDeployerIT {
    static Map<String, Object> event(String type, String topology) {
        return Map.of("RequestType", type, "ResourceProperties", Map.of("Topology", topology, "TopologySha256", "x"));
    }

    @Test
    void createAndUpdate_declareEveryQueue_deleteKeepsThem_andAConflictFailsTheDeployment() throws Exception {
        try (TestServers s = new TestServers("deploy")) {
            Topology t = s.track(new Topology(s.namespace(), QueueType.QUORUM, 5,
                    new RetryTiers(List.of(Duration.ofSeconds(1), Duration.ofMinutes(1))), List.of("webhook.deliver")));
            String json = TopologyJson.toPrettyString(t);
            TopologyDeployerHandler handler = new TopologyDeployerHandler(Map.of("JOBS_RABBITMQ_URI", TestServers.rabbitUri()));

            Map<String, Object> created = handler.handleRequest(event("Create", json), null);
            assertThat(created).containsEntry("PhysicalResourceId", s.namespace() + "-topology");
            assertThat(created.get("Data")).isEqualTo(Map.of("Queues", t.queues().size()));
            for (QueueSpec q : t.queues()) {
                assertThat(s.messageCount(q.name())).as(q.name()).isZero();
            }
            handler.handleRequest(event("Update", json), null);
            handler.handleRequest(event("Delete", json), null);
            assertThat(s.messageCount(t.deadQueue())).isZero(); // still there

            String classic = TopologyJson.toPrettyString(new Topology(s.namespace(), QueueType.CLASSIC, 5,
                    new RetryTiers(List.of(Duration.ofSeconds(1), Duration.ofMinutes(1))), List.of("webhook.deliver")));
            assertThatThrownBy(() -> handler.handleRequest(event("Update", classic), null)).hasMessageContaining("JOBS_QUEUE_TYPE");
        }
    }
}
