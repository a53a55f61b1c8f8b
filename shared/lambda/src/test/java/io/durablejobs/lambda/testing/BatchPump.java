package io.durablejobs.lambda.testing;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A minimal stand-in for the event-source mapping, for tests of the worker edge alone: pulls up to a batch
 * from a real queue, hands it to the handler as a {@link RabbitMQEvent}, acks the batch on return and
 * requeues it when the handler throws. (The local host's emulation is tested on its own, in its module.)
 */
public final class BatchPump implements AutoCloseable {
    private final Channel channel;
    private final String queue;

    public BatchPump(Connection connection, String queue) throws IOException {
        this.channel = connection.createChannel();
        this.queue = queue;
    }

    /** Returns how many messages were handed over; 0 when the queue was empty. */
    public int pumpOnce(int batchSize, Function<RabbitMQEvent, Void> handler) throws IOException {
        List<GetResponse> batch = new ArrayList<>();
        GetResponse r;
        while (batch.size() < batchSize && (r = channel.basicGet(queue, false)) != null) {
            batch.add(r);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        List<RabbitMQEvent.RabbitMessage> msgs = new ArrayList<>();
        for (GetResponse g : batch) {
            RabbitMQEvent.BasicProperties p = new RabbitMQEvent.BasicProperties();
            Map<String, Object> headers = new HashMap<>();
            if (g.getProps().getHeaders() != null) {
                g.getProps().getHeaders().forEach((k, v) -> headers.put(k, asEventValue(v)));
            }
            p.setHeaders(headers);
            p.setMessageId(g.getProps().getMessageId());
            p.setType(g.getProps().getType());
            RabbitMQEvent.RabbitMessage m = new RabbitMQEvent.RabbitMessage();
            m.setBasicProperties(p);
            m.setRedelivered(g.getEnvelope().isRedeliver());
            m.setData(Base64.getEncoder().encodeToString(g.getBody()));
            msgs.add(m);
        }
        RabbitMQEvent event = new RabbitMQEvent();
        event.setEventSource("aws:rmq");
        event.setRmqMessagesByQueue(Map.of(queue + "::/", msgs));
        long last = batch.get(batch.size() - 1).getEnvelope().getDeliveryTag();
        try {
            handler.apply(event);
        } catch (RuntimeException e) {
            channel.basicNack(last, true, true);
            throw e;
        }
        channel.basicAck(last, true);
        return batch.size();
    }

    /** As AWS sends them: strings as {"bytes": [...]}, numbers as numbers. */
    private static Object asEventValue(Object v) {
        if (v instanceof com.rabbitmq.client.LongString || v instanceof String) {
            byte[] b = v.toString().getBytes(StandardCharsets.UTF_8);
            List<Integer> ints = new ArrayList<>();
            for (byte x : b) {
                ints.add((int) x);
            }
            return Map.of("bytes", ints);
        }
        return v;
    }

    @Override
    public void close() throws Exception {
        channel.close();
    }
}
