package io.durablejobs.adapters.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.durablejobs.core.topology.BindingSpec;
import io.durablejobs.core.topology.ExchangeSpec;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.Topology;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Declares the topology; safe to run again and again (declarations are idempotent). A queue that exists
 * with other arguments (say, classic where quorum is configured) makes the broker close the channel
 * with PRECONDITION_FAILED; this turns that into an error that says which queue and what to do.
 */
public final class TopologyDeclarer {
    private TopologyDeclarer() {
    }

    public static void declare(Connection connection, Topology topology) throws IOException {
        declare(connection, topology.exchanges(), topology.queues());
    }

    public static void declare(Connection connection, List<ExchangeSpec> exchanges, List<QueueSpec> queues)
            throws IOException {
        for (ExchangeSpec e : exchanges) {
            withChannel(connection, ch -> ch.exchangeDeclare(e.name(), e.kind(), true, false, null), "exchange " + e.name());
        }
        for (QueueSpec q : queues) {
            withChannel(connection, ch -> {
                ch.queueDeclare(q.name(), true, false, false, new HashMap<>(q.arguments()));
                for (BindingSpec b : q.bindings()) {
                    Map<String, Object> args = b.arguments().isEmpty() ? null : new HashMap<>(b.arguments());
                    ch.queueBind(q.name(), b.exchange(), b.routingKey(), args);
                }
            }, "queue " + q.name());
        }
    }

    private interface ChannelWork {
        void run(Channel ch) throws IOException;
    }

    private static void withChannel(Connection connection, ChannelWork work, String what) throws IOException {
        Channel ch = connection.createChannel();
        try {
            work.run(ch);
        } catch (IOException e) {
            String cause = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            if (cause.contains("PRECONDITION_FAILED")) {
                throw new IOException(what + " exists with different arguments (" + cause + "). Delete it, or use another "
                        + "JOBS_NAMESPACE, or keep the queue type it was created with (JOBS_QUEUE_TYPE).", e);
            }
            throw e;
        } finally {
            if (ch.isOpen()) {
                try {
                    ch.close();
                } catch (TimeoutException | IOException ignored) {
                    // closing a channel we no longer need; the connection stays
                }
            }
        }
    }
}
