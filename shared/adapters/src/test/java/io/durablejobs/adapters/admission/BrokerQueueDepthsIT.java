package io.durablejobs.adapters.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.adapters.amqp.ConfirmingPublisher;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BrokerQueueDepthsIT {
    @Test
    void depthIsReadFromTheBroker_andCachedForItsInterval() throws Exception {
        try (TestServers s = new TestServers("depth")) {
            Topology t = s.track(new Topology(s.namespace(), QueueType.QUORUM, 5, new RetryTiers(List.of(Duration.ofSeconds(1))), List.of("a")));
            TopologyDeclarer.declare(s.amqp(), t);
            AtomicLong clock = new AtomicLong();
            BrokerQueueDepths depths = new BrokerQueueDepths(s.amqp(), t, Duration.ofSeconds(1), clock::get);
            assertThat(depths.depth("a")).isZero();
            try (ConfirmingPublisher p = new ConfirmingPublisher(s.amqp(), Duration.ofSeconds(5))) {
                for (int i = 0; i < 3; i++) {
                    p.publish(new OutboundMessage(t.jobsExchange(), "a", new byte[] {1}, Map.of(), "m" + i, "a", 0));
                }
            }
            assertThat(depths.depth("a")).as("cached").isZero();
            clock.addAndGet(Duration.ofSeconds(2).toNanos());
            assertThat(depths.depth("a")).isEqualTo(3);
            assertThat(depths.depth("no-such-type")).isEqualTo(-1);
        }
    }
}
