package io.durablejobs.adapters.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import java.io.IOException;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeoutException;

/**
 * Publishes persistent, {@code mandatory} messages and waits for each one's publisher confirm. Each
 * publishing thread borrows a confirm-mode channel of its own from a small pool (channels are not meant
 * to be shared for confirms), so at most one message is unconfirmed per channel and a return
 * (unroutable) is attributed without ambiguity: RabbitMQ sends basic.return before the basic.ack of a
 * mandatory message.
 */
public final class ConfirmingPublisher implements JobPublisher, io.durablejobs.core.event.EventPublisher, AutoCloseable {
    private final Connection connection;
    private final Duration confirmTimeout;
    private final ConcurrentLinkedDeque<PooledChannel> idle = new ConcurrentLinkedDeque<>();

    public ConfirmingPublisher(Connection connection, Duration confirmTimeout) {
        this.connection = connection;
        this.confirmTimeout = confirmTimeout;
    }

    private static final class PooledChannel {
        final Channel channel;
        volatile String returned;

        PooledChannel(Channel channel) {
            this.channel = channel;
            channel.addReturnListener(r -> returned = r.getReplyCode() + " " + r.getReplyText());
        }
    }

    @Override
    public void publish(OutboundMessage m) throws PublishException {
        publish(m, true);
    }

    /** An event: confirmed like a job, but not {@code mandatory}, since nobody subscribing is not an error. */
    @Override
    public void publishEvent(OutboundMessage m) throws PublishException {
        publish(m, false);
    }

    private void publish(OutboundMessage m, boolean mandatory) throws PublishException {
        PooledChannel pc = borrow();
        boolean healthy = false;
        try {
            pc.returned = null;
            pc.channel.basicPublish(m.exchange(), m.routingKey(), mandatory, properties(m), m.body());
            pc.channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
            if (pc.returned != null) {
                throw new PublishException("unroutable: " + m.exchange() + "/" + m.routingKey() + " returned " + pc.returned);
            }
            healthy = true;
        } catch (TimeoutException e) {
            throw new PublishException("no confirm within " + confirmTimeout.toMillis() + " ms", e);
        } catch (IOException | ShutdownSignalException e) {
            // ShutdownSignalException: the broker closed the channel (e.g. 404 no such exchange) or the connection dropped.
            throw new PublishException("not confirmed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("interrupted while waiting for the confirm", e);
        } finally {
            if (healthy && pc.channel.isOpen()) {
                idle.push(pc);
            } else {
                closeQuietly(pc.channel);
            }
        }
    }

    private PooledChannel borrow() throws PublishException {
        PooledChannel pc;
        while ((pc = idle.poll()) != null) {
            if (pc.channel.isOpen()) {
                return pc;
            }
        }
        try {
            Channel ch = connection.createChannel();
            if (ch == null) {
                throw new PublishException("no channel available");
            }
            ch.confirmSelect();
            return new PooledChannel(ch);
        } catch (IOException | ShutdownSignalException e) {
            throw new PublishException("broker not reachable: " + e.getMessage(), e);
        }
    }

    private static AMQP.BasicProperties properties(OutboundMessage m) {
        return new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .priority(m.priority())
                .messageId(m.messageId())
                .type(m.type())
                .appId("durable-jobs")
                .timestamp(new Date())
                .headers(new HashMap<>(m.headers()))
                .build();
    }

    private static void closeQuietly(Channel ch) {
        try {
            if (ch.isOpen()) {
                ch.close();
            }
        } catch (IOException | TimeoutException | ShutdownSignalException ignored) {
            // a channel that failed a publish is discarded either way
        }
    }

    @Override
    public void close() {
        PooledChannel pc;
        while ((pc = idle.poll()) != null) {
            closeQuietly(pc.channel);
        }
    }
}
