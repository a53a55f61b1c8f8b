package io.durablejobs.core.event;

import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;

/**
 * Publishes a persistent event and waits for the broker's confirm. Unlike a job, an event nobody has
 * subscribed to is not an error: it is confirmed and dropped by the broker (not {@code mandatory}).
 */
@FunctionalInterface
public interface EventPublisher {
    EventPublisher NONE = m -> { };

    /** @throws PublishException on nack, timeout or a lost connection */
    void publishEvent(OutboundMessage message) throws PublishException;
}
