package io.durablejobs.host.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/** Test queue function: throws on its first invocation, records every event. */
public class ThrowOnceRabbitHandler implements RequestHandler<RabbitMQEvent, Void> {
    public static final ConcurrentLinkedDeque<RabbitMQEvent> EVENTS = new ConcurrentLinkedDeque<>();
    public static final AtomicBoolean THROWN = new AtomicBoolean();

    @Override
    public Void handleRequest(RabbitMQEvent event, Context context) {
        EVENTS.add(event);
        if (THROWN.compareAndSet(false, true)) {
            throw new IllegalStateException("first invocation fails");
        }
        return null;
    }
}
