package io.durablejobs.core.port;

/** Publishes and waits for the broker's confirm. Implementations are safe to call from several threads. */
public interface JobPublisher {

    /**
     * Returns only once the broker has confirmed the message (persisted, routed to at least one queue).
     *
     * @throws PublishException on nack, return (unroutable), timeout or a lost connection
     */
    void publish(OutboundMessage message) throws PublishException;
}
