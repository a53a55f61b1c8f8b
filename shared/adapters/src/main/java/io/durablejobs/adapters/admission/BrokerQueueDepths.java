package io.durablejobs.adapters.admission;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.durablejobs.core.admission.QueueDepths;
import io.durablejobs.core.topology.Topology;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Queue depths read from the broker (a passive declare returns the ready-message count) and cached for a
 * short while, so shedding costs the broker one call per type per interval, not one per request. On
 * RabbitMQ 4 brokers Amazon MQ publishes no per-queue metrics, so this is also the only cheap source.
 */
public final class BrokerQueueDepths implements QueueDepths {
    private final Connection connection;
    private final Topology topology;
    private final long cacheNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Reading> cache = new ConcurrentHashMap<>();

    private record Reading(long depth, long atNanos) {
    }

    public BrokerQueueDepths(Connection connection, Topology topology, Duration cacheFor) {
        this(connection, topology, cacheFor, System::nanoTime);
    }

    BrokerQueueDepths(Connection connection, Topology topology, Duration cacheFor, LongSupplier nanoClock) {
        this.connection = connection;
        this.topology = topology;
        this.cacheNanos = cacheFor.toNanos();
        this.nanoClock = nanoClock;
    }

    @Override
    public long depth(String jobType) {
        long now = nanoClock.getAsLong();
        Reading r = cache.get(jobType);
        if (r != null && now - r.atNanos < cacheNanos) {
            return r.depth;
        }
        long depth = read(topology.workQueue(jobType));
        cache.put(jobType, new Reading(depth, now));
        return depth;
    }

    private long read(String queue) {
        try (Channel ch = connection.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (Exception e) {
            // Unknown (no queue, broker away): shed nothing here; an unconfirmed publish answers 503 anyway.
            return -1;
        }
    }
}
