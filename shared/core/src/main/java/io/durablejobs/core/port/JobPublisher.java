package io.durablejobs.core.port;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Publishes and waits for the broker's confirm. Implementations are safe to call from several threads. */
public interface JobPublisher {

    /**
     * Returns only once the broker has confirmed the message (persisted, routed to at least one queue).
     *
     * @throws PublishException on nack, return (unroutable), timeout or a lost connection
     */
    void publish(OutboundMessage message) throws PublishException;

    /**
     * Publishes several messages and returns once the broker has confirmed or refused each: the failures by
     * index into {@code messages} (empty when every one was confirmed). Implementations publish them all
     * before waiting, so the confirms of a batch are awaited together rather than one after another.
     */
    default Map<Integer, PublishException> publishAll(List<OutboundMessage> messages) {
        Map<Integer, PublishException> failed = new TreeMap<>();
        for (int i = 0; i < messages.size(); i++) {
            try {
                publish(messages.get(i));
            } catch (PublishException e) {
                failed.put(i, e);
            }
        }
        return failed;
    }
}
