package io.durablejobs.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.retry.RetryTiers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTest {
    final RetryTiers tiers = new RetryTiers(List.of(Duration.ofSeconds(1), Duration.ofMinutes(2)));

    @Test
    void quorum_workQueues_boundPoisonMessages_andDeadLetterAtLeastOnce() {
        Topology t = new Topology("ns", QueueType.QUORUM, 7, tiers, List.of("webhook.deliver"));
        QueueSpec q = t.workQueueOf("webhook.deliver").orElseThrow();
        assertThat(q.name()).isEqualTo("ns.webhook.deliver");
        assertThat(q.arguments()).containsEntry("x-queue-type", "quorum").containsEntry("x-delivery-limit", 7)
                .containsEntry("x-dead-letter-exchange", "ns.dlx").containsEntry("x-dead-letter-strategy", "at-least-once")
                .containsEntry("x-overflow", "reject-publish").doesNotContainKey("x-max-priority");
        assertThat(q.bindings()).containsExactly(new BindingSpec("ns.jobs", "webhook.deliver", java.util.Map.of()));
    }

    @Test
    void classic_workQueues_supportPriorities() {
        Topology t = new Topology("ns", QueueType.CLASSIC, 7, tiers, List.of("a"));
        assertThat(t.workQueueOf("a").orElseThrow().arguments()).containsEntry("x-max-priority", 9)
                .containsEntry("x-queue-type", "classic").doesNotContainKey("x-delivery-limit");
    }

    @Test
    void retryTiers_expireBackToTheJobsExchange_keepingTheRoutingKey() {
        Topology t = new Topology("ns", QueueType.QUORUM, 5, tiers, List.of("a"));
        List<QueueSpec> retry = t.queues().stream().filter(q -> q.role() == QueueSpec.Role.RETRY).toList();
        assertThat(retry).extracting(QueueSpec::name).containsExactly("ns.retry.1s", "ns.retry.2m");
        QueueSpec two = retry.get(1);
        assertThat(two.arguments()).containsEntry("x-message-ttl", 120_000L).containsEntry("x-dead-letter-exchange", "ns.jobs")
                .doesNotContainKey("x-dead-letter-routing-key");
        assertThat(two.bindings().get(0).exchange()).isEqualTo("ns.retry");
        assertThat(two.bindings().get(0).arguments()).containsEntry(Topology.TIER_HEADER, "2m").containsEntry("x-match", "all");
    }

    @Test
    void deadQueue_isFedByTheFanoutDlx_andParksWhatItsConsumerKeepsFailingOn_inAClassicQueue() {
        Topology t = new Topology("ns", QueueType.QUORUM, 5, tiers, List.of("a"));
        QueueSpec dead = t.queues().stream().filter(q -> q.role() == QueueSpec.Role.DEAD).findFirst().orElseThrow();
        assertThat(dead.name()).isEqualTo("ns.dead");
        assertThat(dead.arguments()).containsEntry("x-delivery-limit", 20).containsEntry("x-dead-letter-exchange", "")
                .containsEntry("x-dead-letter-routing-key", "ns.dead.parked").containsEntry("x-dead-letter-strategy", "at-least-once")
                .containsEntry("x-overflow", "reject-publish");
        QueueSpec parked = t.queues().stream().filter(q -> q.role() == QueueSpec.Role.PARKED).findFirst().orElseThrow();
        assertThat(parked.name()).isEqualTo(t.parkedDeadQueue()).isEqualTo("ns.dead.parked");
        // Classic: no delivery limit on any RabbitMQ version, and nothing dead-letters out of it.
        assertThat(parked.arguments()).containsExactly(java.util.Map.entry("x-queue-type", "classic"));
        assertThat(parked.bindings()).isEmpty();
        assertThat(t.exchanges()).contains(new ExchangeSpec("ns.dlx", "fanout"), new ExchangeSpec("ns.retry", "headers"),
                new ExchangeSpec("ns.jobs", "direct"));
    }

    @Test
    void json_listsEveryQueue_withRoleAndType() {
        Topology t = new Topology("ns", QueueType.QUORUM, 5, tiers, List.of("a", "b"));
        var json = TopologyJson.toJson(t);
        assertThat(json.get("queues")).hasSize(2 + 2 + 2);
        assertThat(json.get("queues").get(0).get("role").asText()).isEqualTo("work");
        assertThat(json.get("queues").get(0).get("jobType").asText()).isEqualTo("a");
    }

    @Test
    void aShardedType_getsOneQueuePerShard_andEachJobKeepsItsShard() {
        Topology t = new Topology("ns", QueueType.QUORUM, 5, tiers, List.of("hot", "cold"), java.util.Map.of("hot", 3));
        assertThat(t.workQueuesOf("hot")).extracting(QueueSpec::name).containsExactly("ns.hot", "ns.hot.1", "ns.hot.2");
        assertThat(t.workQueuesOf("hot")).extracting(q -> q.bindings().get(0).routingKey()).containsExactly("hot", "hot.1", "hot.2");
        assertThat(t.workQueuesOf("cold")).extracting(QueueSpec::name).containsExactly("ns.cold");
        assertThat(t.routingKeyOf("cold", "any")).isEqualTo("cold");
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int i = 0; i < 300; i++) {
            String id = io.durablejobs.core.job.JobIds.newId(i);
            String rk = t.routingKeyOf("hot", id);
            assertThat(t.routingKeyOf("hot", id)).as("stable").isEqualTo(rk);
            used.add(rk);
        }
        assertThat(used).containsExactlyInAnyOrder("hot", "hot.1", "hot.2");
    }

    @Test
    void retriesUseTheSameShardAsTheFirstPublish() {
        Topology t = new Topology("ns", QueueType.QUORUM, 5, tiers, List.of("hot"), java.util.Map.of("hot", 4));
        var messages = new io.durablejobs.core.work.JobMessages(t);
        for (int i = 0; i < 50; i++) {
            var job = new io.durablejobs.core.job.JobEnvelope(io.durablejobs.core.job.JobIds.newId(i), "t", "hot",
                    io.durablejobs.core.json.Json.MAPPER.createObjectNode(), 4, java.time.Instant.now());
            String first = messages.initial(job, null).routingKey();
            assertThat(messages.retry(job, 2, java.time.Duration.ofSeconds(1), List.of(), null, 0).routingKey()).isEqualTo(first);
            assertThat(messages.deferred(job, 1, java.time.Duration.ofSeconds(1), List.of(), null, 0).routingKey()).isEqualTo(first);
        }
    }
}
