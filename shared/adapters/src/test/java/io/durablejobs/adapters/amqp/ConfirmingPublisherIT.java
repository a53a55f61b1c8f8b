package io.durablejobs.adapters.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ConfirmingPublisherIT {
    static TestServers servers;
    static Topology topology;
    static ConfirmingPublisher publisher;

    @BeforeAll
    static void declare() throws Exception {
        servers = new TestServers("pub");
        topology = servers.track(new Topology(servers.namespace(), QueueType.QUORUM, 5,
                new RetryTiers(List.of(Duration.ofSeconds(1))), List.of("echo")));
        TopologyDeclarer.declare(servers.amqp(), topology);
        publisher = new ConfirmingPublisher(servers.amqp(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        publisher.close();
        servers.close();
    }

    static OutboundMessage message(String routingKey, String body) {
        return new OutboundMessage(topology.jobsExchange(), routingKey, body.getBytes(StandardCharsets.UTF_8),
                Map.of("x-jobs-attempt", 1, "x-jobs-tenant", "t1"), "m-" + body, routingKey, 4);
    }

    @Test
    void confirmedMessage_isPersistent_andInItsQueue_withHeaders() throws Exception {
        try (Channel ch = servers.amqp().createChannel()) {
            ch.queuePurge(topology.workQueue("echo"));
            publisher.publish(message("echo", "hello"));
            GetResponse got = ch.basicGet(topology.workQueue("echo"), true);
            assertThat(got).isNotNull();
            assertThat(new String(got.getBody(), StandardCharsets.UTF_8)).isEqualTo("hello");
            assertThat(got.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(got.getProps().getMessageId()).isEqualTo("m-hello");
            assertThat(got.getProps().getHeaders().get("x-jobs-attempt")).isEqualTo(1);
            assertThat(got.getProps().getHeaders().get("x-jobs-tenant").toString()).isEqualTo("t1");
        }
    }

    @Test
    void unroutableMessage_isNotConfirmedAsAccepted() {
        assertThatThrownBy(() -> publisher.publish(message("no-such-type", "lost?")))
                .isInstanceOf(PublishException.class).hasMessageContaining("unroutable");
    }

    @Test
    void missingExchange_isAPublishFailure_andThePublisherRecovers() throws Exception {
        OutboundMessage m = new OutboundMessage("no-such-exchange-" + servers.namespace(), "echo", new byte[] {1}, Map.of(), "x", "echo", 0);
        assertThatThrownBy(() -> publisher.publish(m)).isInstanceOf(PublishException.class);
        publisher.publish(message("echo", "after"));
        assertThat(servers.messageCount(topology.workQueue("echo"))).isGreaterThanOrEqualTo(1);
    }

    @Test
    void concurrentPublishers_areAllConfirmed() throws Exception {
        long before = servers.messageCount(topology.workQueue("echo"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                fs.add(pool.submit(() -> {
                    publisher.publish(message("echo", "c" + n));
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(servers.messageCount(topology.workQueue("echo")) - before).isEqualTo(200);
    }
}
