package io.durablejobs.core.port;

import java.util.Map;

/** A persistent message to publish with confirms; {@code mandatory}, so an unroutable one is an error. */
public record OutboundMessage(
        String exchange,
        String routingKey,
        byte[] body,
        Map<String, Object> headers,
        String messageId,
        String type,
        int priority) {

    public OutboundMessage {
        headers = Map.copyOf(headers);
    }
}
