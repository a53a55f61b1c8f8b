package io.durablejobs.host.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Test queue function: outlives its timeout on the first invocation; counts constructions. */
public class SlowOnceRabbitHandler implements RequestHandler<RabbitMQEvent, Void> {
    public static final ConcurrentLinkedDeque<RabbitMQEvent> EVENTS = new ConcurrentLinkedDeque<>();
    public static final AtomicInteger CONSTRUCTED = new AtomicInteger();
    public static final AtomicBoolean SLEPT = new AtomicBoolean();
    public static final AtomicBoolean INTERRUPTED = new AtomicBoolean();

    public SlowOnceRabbitHandler() {
        CONSTRUCTED.incrementAndGet();
    }

    @Override
    public Void handleRequest(RabbitMQEvent event, Context context) {
        EVENTS.add(event);
        if (SLEPT.compareAndSet(false, true)) {
            try {
                Thread.sleep(context.getRemainingTimeInMillis() + 5_000L);
            } catch (InterruptedException e) {
                INTERRUPTED.set(true);
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }
}
