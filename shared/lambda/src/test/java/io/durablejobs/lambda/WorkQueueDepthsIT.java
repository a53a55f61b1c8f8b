package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-type depth the DLQ consumer pushes every minute, read from a real RabbitMQ. */
class WorkQueueDepthsIT {
    static final RetryTiers TIERS = new RetryTiers(List.of(Duration.ofSeconds(1)));

    @Test
    void depthOfAType_sumsItsShards_andReadingItIsNoDelivery() throws Exception {
        try (TestServers s = new TestServers("depths")) {
            Topology t = s.track(new Topology(s.namespace(), QueueType.QUORUM, 5, TIERS, List.of("a.b", "c"), Map.of("a.b", 2)));
            TopologyDeclarer.declare(s.amqp(), t);
            try (Channel ch = s.amqp().createChannel()) {
                ch.confirmSelect();
                AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
                for (String key : List.of("a.b", "a.b", "a.b.1")) {
                    ch.basicPublish(t.jobsExchange(), key, true, props, "{}".getBytes(StandardCharsets.UTF_8));
                }
                ch.waitForConfirmsOrDie(5000);
            }
            assertThat(WorkQueueDepths.read(s.amqp(), t)).containsExactlyInAnyOrderEntriesOf(Map.of("a.b", 3L, "c", 0L));
            // More reads than the queues' delivery limit (5): a peek (get and requeue) would have dead-lettered
            // the messages by now; a passive declare leaves them where they are.
            for (int i = 0; i < 10; i++) {
                WorkQueueDepths.read(s.amqp(), t);
            }
            assertThat(WorkQueueDepths.read(s.amqp(), t)).containsEntry("a.b", 3L);
            assertThat(s.messageCount(t.deadQueue())).isZero();
        }
    }

    @Test
    void aTypeWhoseQueueIsMissing_isLeftOut_theOthersAreStillRead() throws Exception {
        try (TestServers s = new TestServers("depths-missing")) {
            Topology declared = s.track(new Topology(s.namespace(), QueueType.QUORUM, 5, TIERS, List.of("c")));
            TopologyDeclarer.declare(s.amqp(), declared);
            Topology expected = new Topology(s.namespace(), QueueType.QUORUM, 5, TIERS, List.of("a.b", "c"));
            assertThat(WorkQueueDepths.read(s.amqp(), expected)).containsExactly(Map.entry("c", 0L));
        }
    }
}
