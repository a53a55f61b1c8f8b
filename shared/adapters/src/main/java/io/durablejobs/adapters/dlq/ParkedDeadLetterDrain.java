package io.durablejobs.adapters.dlq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import io.durablejobs.core.work.IncomingMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Drains the parking queue behind the dead queue: each parked dead letter is handed to the recorder one by
 * one and acknowledged only once recorded. When recording throws (the store is still down), the letter is
 * requeued and the drain stops; the parking queue is a classic queue, which has no delivery limit, so the
 * letter waits for the next run however often that happens.
 *
 * <p>Messages are handed over as if they came from the dead queue (headers turned from AMQP's types into
 * strings, numbers, lists and maps, as the event-source mapping delivers them), so they are recorded, and
 * recognised as already recorded, exactly like the dead queue's own.
 */
public final class ParkedDeadLetterDrain {
    private final Connection connection;
    private final String parkedQueue;
    private final String deadQueue;

    public ParkedDeadLetterDrain(Connection connection, String parkedQueue, String deadQueue) {
        this.connection = connection;
        this.parkedQueue = parkedQueue;
        this.deadQueue = deadQueue;
    }

    /**
     * Records up to {@code max} parked letters. Returns how many were recorded and acknowledged; rethrows
     * what {@code record} threw, after requeueing that letter.
     */
    public int drain(int max, Consumer<IncomingMessage> record) throws IOException {
        int done = 0;
        Channel ch = connection.createChannel();
        try {
            while (done < max) {
                GetResponse g = ch.basicGet(parkedQueue, false);
                if (g == null) {
                    break;
                }
                long tag = g.getEnvelope().getDeliveryTag();
                try {
                    record.accept(toIncoming(g));
                } catch (RuntimeException e) {
                    ch.basicNack(tag, false, true);
                    throw e;
                }
                ch.basicAck(tag, false);
                done++;
            }
            return done;
        } finally {
            if (ch.isOpen()) {
                try {
                    ch.close();
                } catch (TimeoutException | IOException ignored) {
                    // an unacknowledged letter returns to the parking queue with the channel
                }
            }
        }
    }

    /** Letters parked now (ready ones; a drain in progress holds the rest), or -1 when the broker cannot tell. */
    public long count() {
        try (Channel ch = connection.createChannel()) {
            return ch.queueDeclarePassive(parkedQueue).getMessageCount();
        } catch (IOException | TimeoutException | RuntimeException e) {
            return -1;
        }
    }

    private IncomingMessage toIncoming(GetResponse g) {
        Map<String, Object> headers = new HashMap<>();
        Map<String, Object> raw = g.getProps().getHeaders();
        if (raw != null) {
            raw.forEach((k, v) -> {
                Object value = plain(v);
                if (value != null) {
                    headers.put(k, value);
                }
            });
        }
        return new IncomingMessage(deadQueue, g.getBody(), headers, g.getProps().getMessageId(), g.getEnvelope().isRedeliver());
    }

    /** AMQP field values as the mapping's event carries them once decoded: strings, numbers, lists, maps. */
    static Object plain(Object v) {
        if (v instanceof LongString s) {
            return new String(s.getBytes(), StandardCharsets.UTF_8);
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new HashMap<>();
            map.forEach((k, nv) -> {
                Object value = plain(nv);
                if (value != null) {
                    out.put(String.valueOf(k), value);
                }
            });
            return out;
        }
        if (v instanceof List<?> list) {
            return list.stream().map(ParkedDeadLetterDrain::plain).filter(Objects::nonNull).toList();
        }
        if (v instanceof Date d) {
            return d.getTime() / 1000;
        }
        return v;
    }
}
