package io.durablejobs.core.topology;

import io.durablejobs.core.retry.RetryTiers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single definition of every exchange, queue, argument, retry tier and dead-letter route. The local
 * host and the tests declare it, the deploy-time step declares it on Amazon MQ, and infra reads its JSON
 * form ({@link TopologyJson}) so queue names and mappings cannot drift.
 *
 * <pre>
 *   submit --(rk=type)--> NS.jobs (direct) --> NS.TYPE          one work queue per job type
 *   worker retry -------> NS.retry (headers, jobs-retry-tier) --> NS.retry.TIER (TTL)
 *                           --expires, dead-letters with the original rk--> NS.jobs
 *   worker give up -----> NS.dlx (fanout) --> NS.dead
 *   quorum x-delivery-limit exceeded on NS.TYPE --dead-letters--> NS.dlx
 *   NS.dead's own delivery limit exceeded (DLQ consumer failing) --dead-letters--> NS.dead.parked (classic)
 * </pre>
 *
 * <p>The dead queue must never drop a message. RabbitMQ 4 gives every quorum queue a delivery limit of 20
 * and discards at it unless the queue dead-letters; RabbitMQ 3 has no default but reads the value that
 * means "unlimited" on 4 ({@code -1}) as "drop after one delivery". No single argument is safe on both,
 * and a queue's arguments cannot change after an in-place broker upgrade. So the dead queue carries an
 * explicit limit of 20 on every version, dead-letters what reaches it (at-least-once) into a classic
 * parking queue, which has no delivery limit on any version, and the DLQ consumer drains the parking
 * queue on every run (the per-minute schedule included).
 */
public final class Topology {
    /**
     * The header the retry exchange routes on. Not {@code x-}-prefixed on purpose: RabbitMQ's headers
     * exchange ignores binding arguments starting with {@code x-} when matching (only {@code x-match:
     * all-with-x} considers them), so such a binding would match every message and copy each retry into
     * every tier.
     */
    public static final String TIER_HEADER = "jobs-retry-tier";
    /** Failed deliveries of one dead letter before it is moved to the parking queue (RabbitMQ 4's own default). */
    public static final int DEAD_QUEUE_DELIVERY_LIMIT = 20;

    private final String namespace;
    private final QueueType queueType;
    private final int deliveryLimit;
    private final RetryTiers tiers;
    private final List<ExchangeSpec> exchanges;
    private final List<QueueSpec> queues;
    private final Map<String, Integer> shards;

    public Topology(String namespace, QueueType queueType, int deliveryLimit, RetryTiers tiers, Collection<String> jobTypes) {
        this(namespace, queueType, deliveryLimit, tiers, jobTypes, Map.of());
    }

    /**
     * @param shards hot types spread over several work queues: shard 0 is {@code NS.TYPE} (routing key
     *               TYPE), shard n is {@code NS.TYPE.n} (routing key {@code TYPE.n}); each queue gets its own
     *               event-source mapping, and so its own concurrent environment
     */
    public Topology(String namespace, QueueType queueType, int deliveryLimit, RetryTiers tiers, Collection<String> jobTypes,
                    Map<String, Integer> shards) {
        this.namespace = namespace;
        this.shards = Map.copyOf(shards);
        this.queueType = queueType;
        this.deliveryLimit = deliveryLimit;
        this.tiers = tiers;
        this.exchanges = List.of(
                new ExchangeSpec(jobsExchange(), "direct"),
                new ExchangeSpec(retryExchange(), "headers"),
                new ExchangeSpec(deadLetterExchange(), "fanout"),
                // Completion events for other systems to subscribe to (routing key <type>.<status>); no queue of ours.
                new ExchangeSpec(eventsExchange(), "topic"));
        List<QueueSpec> qs = new ArrayList<>();
        for (String type : jobTypes) {
            Map<String, Object> args = baseArgs();
            args.put("x-dead-letter-exchange", deadLetterExchange());
            if (queueType == QueueType.QUORUM) {
                args.put("x-delivery-limit", deliveryLimit);
            } else {
                args.put("x-max-priority", 9);
            }
            for (int shard = 0; shard < shardsOf(type); shard++) {
                qs.add(new QueueSpec(workQueue(type, shard), QueueSpec.Role.WORK, type, args,
                        List.of(new BindingSpec(jobsExchange(), shardRoutingKey(type, shard), Map.of()))));
            }
        }
        for (Duration tier : tiers.all()) {
            Map<String, Object> args = baseArgs();
            args.put("x-message-ttl", tier.toMillis());
            args.put("x-dead-letter-exchange", jobsExchange());
            String label = RetryTiers.label(tier);
            qs.add(new QueueSpec(retryQueue(tier), QueueSpec.Role.RETRY, null, args,
                    List.of(new BindingSpec(retryExchange(), "", Map.of("x-match", "all", TIER_HEADER, label)))));
        }
        Map<String, Object> deadArgs = baseArgs();
        if (queueType == QueueType.QUORUM) {
            // Through the default exchange, which routes by queue name: no exchange of its own to declare.
            deadArgs.put("x-delivery-limit", DEAD_QUEUE_DELIVERY_LIMIT);
            deadArgs.put("x-dead-letter-exchange", "");
            deadArgs.put("x-dead-letter-routing-key", parkedDeadQueue());
        }
        qs.add(new QueueSpec(parkedDeadQueue(), QueueSpec.Role.PARKED, null, Map.of("x-queue-type", QueueType.CLASSIC.wire()),
                List.of()));
        qs.add(new QueueSpec(deadQueue(), QueueSpec.Role.DEAD, null, deadArgs,
                List.of(new BindingSpec(deadLetterExchange(), "", Map.of()))));
        this.queues = List.copyOf(qs);
    }

    /** Arguments every queue of this type shares. Quorum queues dead-letter at-least-once, which needs reject-publish. */
    private Map<String, Object> baseArgs() {
        Map<String, Object> args = baseArgsWithoutDeadLettering();
        if (queueType == QueueType.QUORUM) {
            args.put("x-dead-letter-strategy", "at-least-once");
        }
        return args;
    }

    private Map<String, Object> baseArgsWithoutDeadLettering() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("x-queue-type", queueType.wire());
        if (queueType == QueueType.QUORUM) {
            args.put("x-overflow", "reject-publish");
        }
        return args;
    }

    public String namespace() {
        return namespace;
    }

    public QueueType queueType() {
        return queueType;
    }

    public int deliveryLimit() {
        return deliveryLimit;
    }

    public RetryTiers tiers() {
        return tiers;
    }

    public List<ExchangeSpec> exchanges() {
        return exchanges;
    }

    public List<QueueSpec> queues() {
        return queues;
    }

    public List<QueueSpec> workQueues() {
        return queues.stream().filter(q -> q.role() == QueueSpec.Role.WORK).toList();
    }

    /** Every work queue of a type: one, or one per shard. */
    public List<QueueSpec> workQueuesOf(String type) {
        return workQueues().stream().filter(q -> type.equals(q.jobType())).toList();
    }

    public int shardsOf(String type) {
        return Math.max(1, shards.getOrDefault(type, 1));
    }

    /**
     * The routing key a job's messages use, first publish and every retry alike: its shard is a hash of the
     * job id, so a retried job returns to the queue it came from without the worker knowing it.
     */
    public String routingKeyOf(String type, String jobId) {
        int n = shardsOf(type);
        return n == 1 ? type : shardRoutingKey(type, Math.floorMod(jobId.hashCode(), n));
    }

    private static String shardRoutingKey(String type, int shard) {
        return shard == 0 ? type : type + "." + shard;
    }

    private String workQueue(String type, int shard) {
        return namespace + "." + shardRoutingKey(type, shard);
    }

    public Optional<QueueSpec> workQueueOf(String type) {
        return workQueues().stream().filter(q -> type.equals(q.jobType())).findFirst();
    }

    public String jobsExchange() {
        return namespace + ".jobs";
    }

    /** The topic exchange completion events go to, routing key {@code <type>.<status>}. */
    public String eventsExchange() {
        return namespace + ".events";
    }

    public String retryExchange() {
        return namespace + ".retry";
    }

    public String deadLetterExchange() {
        return namespace + ".dlx";
    }

    public String workQueue(String type) {
        return namespace + "." + type;
    }

    public String retryQueue(Duration tier) {
        return namespace + ".retry." + RetryTiers.label(tier);
    }

    public String deadQueue() {
        return namespace + ".dead";
    }

    /** Where the dead queue parks a dead letter the DLQ consumer failed on too often; the consumer drains it. */
    public String parkedDeadQueue() {
        return namespace + ".dead.parked";
    }
}
