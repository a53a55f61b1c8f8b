package io.durablejobs.host;

import com.rabbitmq.client.Connection;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda's event-source mapping for one queue-triggered function: {@code concurrency} pollers (one by
 * default, as Lambda allows for RabbitMQ), each with its own channel and execution environment.
 */
final class RabbitMqEventSourceMapping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RabbitMqEventSourceMapping.class);

    private final FunctionRuntime function;
    private final String queue;
    private final List<MappingPoller> pollers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    RabbitMqEventSourceMapping(FunctionRuntime function, Connection connection, String queue, String vhost) {
        this.function = function;
        this.queue = queue;
        for (int i = 0; i < function.spec().concurrency(); i++) {
            MappingPoller p = new MappingPoller(function, connection, queue, vhost, i);
            pollers.add(p);
            Thread t = new Thread(p, "esm-" + function.spec().name() + "-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    String queue() {
        return queue;
    }

    FunctionRuntime function() {
        return function;
    }

    /** Cancels the consumers at once; in-flight batches finish within {@code graceMillis}. */
    void stop(long graceMillis) {
        pollers.forEach(MappingPoller::stop);
        long deadline = System.currentTimeMillis() + graceMillis;
        for (int i = 0; i < pollers.size(); i++) {
            try {
                long left = Math.max(1, deadline - System.currentTimeMillis());
                if (!pollers.get(i).awaitStopped(left)) {
                    LOG.warn("mapping {} still invoking after {} ms; interrupting (its batch goes back to the queue)",
                            function.spec().name(), graceMillis);
                    threads.get(i).interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop(0);
    }
}
