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

    @Test
    void publishAll_confirmsABatchTogether_andNamesEachMessageTheBrokerRefused() throws Exception {
        long before = servers.messageCount(topology.workQueue("echo"));
        List<OutboundMessage> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(message("echo", "b" + i));
        }
        batch.add(message("no-such-type", "lost"));

        Map<Integer, PublishException> failed = publisher.publishAll(batch);

        assertThat(failed).containsOnlyKeys(50);
        assertThat(failed.get(50)).hasMessageContaining("unroutable");
        assertThat(servers.messageCount(topology.workQueue("echo")) - before).isEqualTo(50);
    }

    @Test
    void publishAll_reportsNackedMessages_byIndex_andKeepsTheOthers() throws Exception {
        String exchange = servers.namespace() + ".full";
        String queue = servers.namespace() + ".full.q";
        try (Channel ch = servers.amqp().createChannel()) {
            ch.exchangeDeclare(exchange, "direct", false, true, null);
            // A full queue that refuses publishes: the broker nacks what does not fit.
            ch.queueDeclare(queue, false, false, true, Map.of("x-max-length", 2, "x-overflow", "reject-publish"));
            ch.queueBind(queue, exchange, "k");
            List<OutboundMessage> batch = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                batch.add(new OutboundMessage(exchange, "k", new byte[] {(byte) i}, Map.of(), "n-" + i, "k", 0));
            }

            Map<Integer, PublishException> failed = publisher.publishAll(batch);

            assertThat(failed).containsOnlyKeys(2, 3, 4);
            assertThat(failed.get(2)).hasMessageContaining("nacked");
            assertThat(ch.queueDeclarePassive(queue).getMessageCount()).isEqualTo(2);
            ch.queueDelete(queue);
            ch.exchangeDelete(exchange);
        }
        // The publisher goes on publishing after a refusal.
        assertThat(publisher.publishAll(List.of(message("echo", "after-nack")))).isEmpty();
    }

    // The group-commit publisher over it: every concurrent caller confirmed, each with its own outcome.

    @Test
    void pipeline_manyConcurrentCallers_areAllConfirmed_onOneChannel_inFewerFlushesThanMessages() throws Exception {
        long before = servers.messageCount(topology.workQueue("echo"));
        int callers = 400;
        long flushesBefore = PublishPipeline.flushes();
        try (ConfirmingPublisher own = new ConfirmingPublisher(servers.amqp(), Duration.ofSeconds(5));
             PublishPipeline pipeline = new PublishPipeline(own);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String body = "p" + i;
                done.add(threads.submit(() -> {
                    pipeline.publish(message("echo", body));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            // One channel of the publisher's pool carried them all, not one per concurrent caller.
            assertThat(own.idleChannels()).isEqualTo(1);
        }
        assertThat(servers.messageCount(topology.workQueue("echo")) - before).isEqualTo(callers);
        assertThat(PublishPipeline.flushes() - flushesBefore).isPositive().isLessThan(callers);
    }

    @Test
    void pipeline_anUnroutableJob_failsItsOwnCallerOnly_andAnEventNeedsNoQueue() throws Exception {
        long before = servers.messageCount(topology.workQueue("echo"));
        try (PublishPipeline pipeline = new PublishPipeline(publisher)) {
            Map<Integer, PublishException> failed = pipeline.publishAll(List.of(message("echo", "pa"), message("no-such-type", "pb"),
                    message("echo", "pc")));
            assertThat(failed).containsOnlyKeys(1);
            assertThat(failed.get(1)).hasMessageContaining("unroutable");
            assertThat(servers.messageCount(topology.workQueue("echo")) - before).isEqualTo(2);
            // An event is not mandatory: nobody bound to its routing key is not a failure.
            pipeline.publishEvent(new OutboundMessage(topology.eventsExchange(), "echo.succeeded", "{}".getBytes(StandardCharsets.UTF_8),
                    Map.of(), "e-1", "job.finished", 0));
            assertThatThrownBy(() -> pipeline.publish(message("no-such-type", "pd")))
                    .isInstanceOf(PublishException.class).hasMessageContaining("unroutable");
        }
    }

    @Test
    void pipeline_aMissingExchange_failsThatFlush_andTheNextGoesThrough() throws Exception {
        try (PublishPipeline pipeline = new PublishPipeline(publisher)) {
            OutboundMessage lost = new OutboundMessage("no-such-exchange-" + servers.namespace(), "echo", new byte[] {1}, Map.of(), "x", "echo", 0);
            assertThatThrownBy(() -> pipeline.publish(lost)).isInstanceOf(PublishException.class);
            pipeline.publish(message("echo", "p-after"));
        }
    }

    @Test
    void pipeline_afterClose_aPublishFailsAtOnce() {
        PublishPipeline pipeline = new PublishPipeline(publisher);
        pipeline.close();
        assertThatThrownBy(() -> pipeline.publish(message("echo", "late"))).isInstanceOf(PublishException.class)
                .hasMessageContaining("closed");
    }
}
