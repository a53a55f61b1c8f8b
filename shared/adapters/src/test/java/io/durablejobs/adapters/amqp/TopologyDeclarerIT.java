package io.durablejobs.adapters.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TopologyDeclarerIT {
    static final RetryTiers TIERS = new RetryTiers(List.of(Duration.ofSeconds(1), Duration.ofSeconds(5)));

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void declaringTwice_isHarmless_andCreatesEveryQueue(QueueType type) throws Exception {
        try (TestServers s = new TestServers("topo")) {
            Topology t = s.track(new Topology(s.namespace(), type, 5, TIERS, List.of("a.b", "c")));
            TopologyDeclarer.declare(s.amqp(), t);
            TopologyDeclarer.declare(s.amqp(), t);
            for (QueueSpec q : t.queues()) {
                assertThat(s.messageCount(q.name())).as(q.name()).isZero();
            }
            assertThat(t.queues()).hasSize(2 + 2 + 2); // work, retry tiers, dead and its parking queue
        }
    }

    @Test
    void changingTheQueueType_ofAnExistingNamespace_failsWithAnExplanation() throws Exception {
        try (TestServers s = new TestServers("topo")) {
            Topology quorum = s.track(new Topology(s.namespace(), QueueType.QUORUM, 5, TIERS, List.of("a")));
            TopologyDeclarer.declare(s.amqp(), quorum);
            Topology classic = new Topology(s.namespace(), QueueType.CLASSIC, 5, TIERS, List.of("a"));
            assertThatThrownBy(() -> TopologyDeclarer.declare(s.amqp(), classic))
                    .isInstanceOf(IOException.class).hasMessageContaining("JOBS_QUEUE_TYPE").hasMessageContaining(s.namespace() + ".a");
        }
    }

    @Test
    void aRetryMessage_landsInExactlyItsTierQueue() throws Exception {
        try (TestServers s = new TestServers("topo")) {
            Topology t = s.track(new Topology(s.namespace(), QueueType.QUORUM, 5, TIERS, List.of("a")));
            TopologyDeclarer.declare(s.amqp(), t);
            try (ConfirmingPublisher p = new ConfirmingPublisher(s.amqp(), Duration.ofSeconds(5))) {
                p.publish(new io.durablejobs.core.port.OutboundMessage(t.retryExchange(), "a", new byte[] {1},
                        java.util.Map.of(Topology.TIER_HEADER, "5s"), "m", "a", 0));
            }
            assertThat(s.messageCount(t.retryQueue(Duration.ofSeconds(5)))).isEqualTo(1);
            assertThat(s.messageCount(t.retryQueue(Duration.ofSeconds(1)))).as("a copy in another tier").isZero();
        }
    }
}
