package io.durablejobs.lambda;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.Topology;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ready messages per job type, summed over the type's work queues (every shard), read with passive
 * declares. A passive declare only asks for the queue's counters: unlike peeking at the head message
 * (basic.get and a requeue), it is no delivery, so it never counts toward a quorum queue's
 * x-delivery-limit. One channel per type, because a missing queue closes the channel it was asked on.
 */
public final class WorkQueueDepths {
    private WorkQueueDepths() {
    }

    /** Type to ready messages; a type whose queues cannot be read (missing, broker away) is left out. */
    public static Map<String, Long> read(Connection connection, Topology topology) {
        Map<String, Long> depths = new TreeMap<>();
        for (String type : types(topology)) {
            try (Channel ch = connection.createChannel()) {
                long total = 0;
                for (QueueSpec q : topology.workQueuesOf(type)) {
                    total += ch.queueDeclarePassive(q.name()).getMessageCount();
                }
                depths.put(type, total);
            } catch (Exception e) {
                // Unknown this minute: no data point rather than a wrong one (the backlog alarm treats missing as OK,
                // and the missing-metrics alarm watches the push as a whole).
            }
        }
        return depths;
    }

    private static SortedSet<String> types(Topology topology) {
        SortedSet<String> types = new TreeSet<>();
        for (QueueSpec q : topology.workQueues()) {
            if (q.jobType() != null) {
                types.add(q.jobType());
            }
        }
        return types;
    }
}
