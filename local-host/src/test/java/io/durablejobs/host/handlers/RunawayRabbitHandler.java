package io.durablejobs.host.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Test queue function that never stops by itself: it starts {@link #THREADS} threads named
 * {@value #THREAD_NAME} that spin and ignore interruption (as CPU-bound library code does), records
 * {@code pid} lines in {@code $TEST_RECORD_DIR/runaway}, and spins past the function's timeout itself.
 */
public class RunawayRabbitHandler implements RequestHandler<RabbitMQEvent, Void> {
    public static final String THREAD_NAME = "runaway-work";
    public static final int THREADS = 3;
    private static volatile long sink;

    @Override
    public Void handleRequest(RabbitMQEvent event, Context context) {
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(RunawayRabbitHandler::spin, THREAD_NAME);
            t.setDaemon(true);
            t.start();
        }
        try {
            Files.writeString(Path.of(System.getenv("TEST_RECORD_DIR")).resolve("runaway"),
                    ProcessHandle.current().pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        spin();
        return null;
    }

    private static void spin() {
        long x = 0;
        while (true) {
            x++;
            if ((x & 0xFFFFF) == 0) {
                sink = x;
            }
        }
    }
}
