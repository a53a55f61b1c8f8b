package io.durablejobs.adapters.ledger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.Topology;
import java.util.function.LongSupplier;

/** Messages ready in the work and retry queues (dead and parked letters are settled already) (passive declares), or -1 when the broker cannot tell. */
public final class BrokerQueuedMessages implements LongSupplier {
    private final Connection connection;
    private final Topology topology;

    public BrokerQueuedMessages(Connection connection, Topology topology) {
        this.connection = connection;
        this.topology = topology;
    }

    @Override
    public long getAsLong() {
        long total = 0;
        try (Channel ch = connection.createChannel()) {
            for (QueueSpec q : topology.queues()) {
                if (q.role() != QueueSpec.Role.DEAD && q.role() != QueueSpec.Role.PARKED) {
                    total += ch.queueDeclarePassive(q.name()).getMessageCount();
                }
            }
            return total;
        } catch (Exception e) {
            return -1;
        }
    }
}
