package io.durablejobs.adapters.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The group-commit publisher against a real broker: every caller confirmed, each with its own outcome. */
class PublishPipelineIT {
    static TestServers servers;
    static Topology topology;
    static ConfirmingPublisher publisher;

    @BeforeAll
    static void declare() throws Exception {
        servers = new TestServers("pubpipe");
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
                Map.of("x-jobs-attempt", 1), "m-" + body, routingKey, 4);
    }

    @Test
    void manyConcurrentCallers_areAllConfirmed_inFewerFlushesThanMessages() throws Exception {
        String queue = topology.workQueue("echo");
        purge(queue);
        int callers = 400;
        long flushesBefore = PublishPipeline.flushes();
        try (ConfirmingPublisher own = new ConfirmingPublisher(servers.amqp(), Duration.ofSeconds(5));
             PublishPipeline pipeline = new PublishPipeline(own);
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String body = "job-" + i;
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
        assertThat(servers.messageCount(queue)).isEqualTo(callers);
        long flushes = PublishPipeline.flushes() - flushesBefore;
        assertThat(flushes).isPositive().isLessThan(callers);
    }

    @Test
    void anUnroutableJob_failsItsOwnCallerOnly_andAnEventNeedsNoQueue() throws Exception {
        String queue = topology.workQueue("echo");
        purge(queue);
        try (PublishPipeline pipeline = new PublishPipeline(publisher)) {
            Map<Integer, PublishException> failed = pipeline.publishAll(List.of(message("echo", "a"), message("no-such-type", "b"),
                    message("echo", "c")));
            assertThat(failed).containsOnlyKeys(1);
            assertThat(failed.get(1)).hasMessageContaining("unroutable");
            assertThat(servers.messageCount(queue)).isEqualTo(2);
            // An event is not mandatory: nobody bound to its routing key is not a failure.
            pipeline.publishEvent(new OutboundMessage(topology.eventsExchange(), "echo.succeeded", "{}".getBytes(StandardCharsets.UTF_8),
                    Map.of(), "e-1", "job.finished", 0));
            assertThatThrownBy(() -> pipeline.publish(message("no-such-type", "d")))
                    .isInstanceOf(PublishException.class).hasMessageContaining("unroutable");
        }
    }

    @Test
    void aMissingExchange_failsThatFlush_andTheNextGoesThrough() throws Exception {
        try (PublishPipeline pipeline = new PublishPipeline(publisher)) {
            OutboundMessage lost = new OutboundMessage("no-such-exchange-" + servers.namespace(), "echo", new byte[] {1}, Map.of(), "x", "echo", 0);
            assertThatThrownBy(() -> pipeline.publish(lost)).isInstanceOf(PublishException.class);
            pipeline.publish(message("echo", "after"));
        }
    }

    @Test
    void afterClose_aPublishFailsAtOnce() {
        PublishPipeline pipeline = new PublishPipeline(publisher);
        pipeline.close();
        assertThatThrownBy(() -> pipeline.publish(message("echo", "late"))).isInstanceOf(PublishException.class)
                .hasMessageContaining("closed");
    }

    private static void purge(String queue) throws Exception {
        try (Channel ch = servers.amqp().createChannel()) {
            ch.queuePurge(queue);
        }
    }
}
