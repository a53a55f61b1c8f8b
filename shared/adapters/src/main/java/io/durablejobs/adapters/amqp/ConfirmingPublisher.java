package io.durablejobs.adapters.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.durablejobs.core.event.EventPublisher;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import java.io.IOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;

/**
 * Publishes persistent, {@code mandatory} messages and waits for each one's publisher confirm. Each
 * publishing thread borrows a confirm-mode channel of its own from a small pool (channels are not meant
 * to be shared for confirms), so at most one message is unconfirmed per channel and a return
 * (unroutable) is attributed without ambiguity: RabbitMQ sends basic.return before the basic.ack of a
 * mandatory message.
 */
public final class ConfirmingPublisher implements JobPublisher, EventPublisher, AutoCloseable {
    private final Connection connection;
    private final Duration confirmTimeout;
    private final ConcurrentLinkedDeque<PooledChannel> idle = new ConcurrentLinkedDeque<>();

    public ConfirmingPublisher(Connection connection, Duration confirmTimeout) {
        this.connection = connection;
        this.confirmTimeout = confirmTimeout;
    }

    /** Channels waiting in the pool (tests: how many channels concurrent publishes needed). */
    int idleChannels() {
        return idle.size();
    }

    /** How long a publish waits for its confirm. */
    Duration confirmTimeout() {
        return confirmTimeout;
    }

    private static final class PooledChannel {
        final Channel channel;
        volatile String returned;
        /** Set only while a batch is in flight on this channel (one borrower at a time). */
        volatile BatchConfirms batch;

        PooledChannel(Channel channel) {
            this.channel = channel;
            channel.addReturnListener(r -> {
                returned = r.getReplyCode() + " " + r.getReplyText();
                BatchConfirms b = batch;
                if (b != null && r.getProperties() != null && r.getProperties().getMessageId() != null) {
                    b.returned.put(r.getProperties().getMessageId(), r.getReplyCode() + " " + r.getReplyText());
                }
            });
            channel.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long tag, boolean multiple) {
                    BatchConfirms b = batch;
                    if (b != null) {
                        b.settle(tag, multiple, true);
                    }
                }

                @Override
                public void handleNack(long tag, boolean multiple) {
                    BatchConfirms b = batch;
                    if (b != null) {
                        b.settle(tag, multiple, false);
                    }
                }
            });
        }
    }

    /**
     * The confirms of one batch, by delivery tag. The broker confirms in any grouping ({@code multiple}
     * covers every tag up to the one given), and may nack some while acking others: each message's own
     * outcome is kept, so only the messages it refused are reported as not published.
     */
    private static final class BatchConfirms {
        final ConcurrentSkipListMap<Long, Integer> pending = new ConcurrentSkipListMap<>();
        final Map<Integer, Boolean> settled = new ConcurrentHashMap<>();
        final Map<String, String> returned = new ConcurrentHashMap<>();

        void settle(long tag, boolean multiple, boolean ack) {
            if (multiple) {
                var upTo = pending.headMap(tag, true);
                upTo.values().forEach(i -> settled.put(i, ack));
                upTo.clear();
            } else {
                Integer i = pending.remove(tag);
                if (i != null) {
                    settled.put(i, ack);
                }
            }
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

    /**
     * Publishes every message on one channel, then waits once for all their confirms: a batch costs one
     * confirm round trip instead of one per message. A message nacked, returned (unroutable) or not
     * confirmed within the timeout is reported by its index; the others are published.
     */
    @Override
    public Map<Integer, PublishException> publishAll(List<OutboundMessage> messages) {
        return publishAll(messages, null);
    }

    /**
     * As {@link #publishAll(List)}, where the messages whose index is set in {@code events} are published as
     * {@link #publishEvent events} (not {@code mandatory}); null: every message is a job's.
     */
    Map<Integer, PublishException> publishAll(List<OutboundMessage> messages, BitSet events) {
        Map<Integer, PublishException> failed = new TreeMap<>();
        if (messages.isEmpty()) {
            return failed;
        }
        PooledChannel pc;
        try {
            pc = borrow();
        } catch (PublishException e) {
            for (int i = 0; i < messages.size(); i++) {
                failed.put(i, e);
            }
            return failed;
        }
        BatchConfirms confirms = new BatchConfirms();
        pc.batch = confirms;
        boolean healthy = false;
        String broken = null;
        try {
            for (int i = 0; i < messages.size(); i++) {
                OutboundMessage m = messages.get(i);
                confirms.pending.put(pc.channel.getNextPublishSeqNo(), i);
                pc.channel.basicPublish(m.exchange(), m.routingKey(), events == null || !events.get(i), properties(m), m.body());
            }
            // False when the broker nacked some: each message's own outcome is in confirms; the channel is fine.
            pc.channel.waitForConfirms(confirmTimeout.toMillis());
            healthy = true;
        } catch (TimeoutException e) {
            broken = "no confirm within " + confirmTimeout.toMillis() + " ms";
        } catch (IOException | ShutdownSignalException e) {
            broken = "not confirmed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = "interrupted while waiting for the confirm";
        } finally {
            pc.batch = null;
            if (healthy && pc.channel.isOpen()) {
                idle.push(pc);
            } else {
                closeQuietly(pc.channel);
            }
        }
        for (int i = 0; i < messages.size(); i++) {
            OutboundMessage m = messages.get(i);
            Boolean ack = confirms.settled.get(i);
            String returnedAs = m.messageId() == null ? null : confirms.returned.get(m.messageId());
            if (ack == null) {
                failed.put(i, new PublishException(broken != null ? broken : "not confirmed"));
            } else if (!ack) {
                failed.put(i, new PublishException("nacked by the broker: " + m.exchange() + "/" + m.routingKey()));
            } else if (returnedAs != null) {
                failed.put(i, new PublishException("unroutable: " + m.exchange() + "/" + m.routingKey() + " returned " + returnedAs));
            }
        }
        return failed;
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
