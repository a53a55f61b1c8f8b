package io.durablejobs.host;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;

/**
 * A message the mapping's consumer received and not yet acknowledged, with the channel incarnation it
 * came on (a delivery from before a recovery is stale: the broker has already requeued it) and its
 * rendering as an event record.
 */
record PendingDelivery(long generation, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {

    long deliveryTag() {
        return envelope.getDeliveryTag();
    }
}
