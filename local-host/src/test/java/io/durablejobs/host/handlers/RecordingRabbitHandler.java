package io.durablejobs.host.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.durablejobs.core.config.Env;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Test queue function: keeps every event it got, and the function name its constructor saw. */
public class RecordingRabbitHandler implements RequestHandler<RabbitMQEvent, Void> {
    public static final ConcurrentLinkedDeque<RabbitMQEvent> EVENTS = new ConcurrentLinkedDeque<>();
    public static final AtomicInteger CONSTRUCTED = new AtomicInteger();
    public static final AtomicReference<String> NAME_AT_INIT = new AtomicReference<>();

    public RecordingRabbitHandler() {
        CONSTRUCTED.incrementAndGet();
        NAME_AT_INIT.set(Env.current().get("AWS_LAMBDA_FUNCTION_NAME"));
    }

    @Override
    public Void handleRequest(RabbitMQEvent event, Context context) {
        EVENTS.add(event);
        return null;
    }
}
