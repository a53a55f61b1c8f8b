package io.durablejobs.core.topology;

import java.util.Locale;

/**
 * quorum: replicated and durable, the default on Amazon MQ for RabbitMQ 4.x; poison messages are
 * bounded by {@code x-delivery-limit}. classic: supports {@code x-max-priority} (and is the only kind on
 * a single-instance 3.13 broker that takes priorities on RabbitMQ before 4.0).
 */
public enum QueueType {
    QUORUM, CLASSIC;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static QueueType parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "quorum" -> QUORUM;
            case "classic" -> CLASSIC;
            default -> throw new IllegalArgumentException("must be quorum or classic");
        };
    }
}
