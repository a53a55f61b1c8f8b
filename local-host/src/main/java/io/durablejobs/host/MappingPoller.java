package io.durablejobs.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One concurrent execution slot of a mapping: its own channel (manual ack, prefetch = batch size), its
 * own execution environment, and a loop that gathers a batch (batch size, batching window after the
 * first message, Lambda's 6 MB payload), invokes, then acks the batch (returned) or nacks it with
 * requeue (threw, timed out). A timed-out environment is replaced by a new one. The loop logs and goes
 * on after any failure; it resubscribes when the broker cancels the consumer or closes the channel.
 */
final class MappingPoller implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MappingPoller.class);
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final int EVENT_OVERHEAD_BYTES = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionRuntime function;
    private final Connection connection;
    private final String queue;
    private final String vhost;
    private final String name;
    private final BlockingQueue<PendingDelivery> buffer = new LinkedBlockingQueue<>();
    private final AtomicLong generation = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean needsChannel = true;
    private volatile boolean needsConsume = true;
    private volatile Channel channel;
    private volatile String consumerTag;
    private ExecutionEnvironment environment;
    private PendingDelivery carried;

    MappingPoller(FunctionRuntime function, Connection connection, String queue, String vhost, int index) {
        this.function = function;
        this.connection = connection;
        this.queue = queue;
        this.vhost = vhost;
        this.name = function.spec().name() + "#" + index;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                try {
                    if (!subscribed()) {
                        sleep(1000);
                        continue;
                    }
                    List<PendingDelivery> batch = collect();
                    if (!batch.isEmpty() && !stopping) {
                        process(batch);
                    }
                } catch (InterruptedException e) {
                    if (stopping) {
                        break;
                    }
                } catch (Exception | LinkageError e) {
                    LOG.warn("mapping {} on {}: {}; going on", name, queue, e.toString());
                    sleep(1000);
                }
            }
        } finally {
            closeChannel();
            if (environment != null) {
                environment.close();
            }
            stopped.countDown();
        }
    }

    /** Stop taking messages; the batch in flight (if any) finishes and is acknowledged. */
    void stop() {
        stopping = true;
        Channel ch = channel;
        String tag = consumerTag;
        if (ch != null && tag != null && ch.isOpen()) {
            try {
                ch.basicCancel(tag);
            } catch (IOException | RuntimeException e) {
                LOG.debug("cancel of {} failed: {}", name, e.toString());
            }
        }
    }

    boolean awaitStopped(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }

    private boolean subscribed() throws IOException {
        if (needsChannel || channel == null || (!channel.isOpen() && connection.isOpen() && !(channel instanceof Recoverable))) {
            closeChannel();
            channel = connection.createChannel();
            channel.basicQos(function.spec().batchSize());
            generation.incrementAndGet();
            if (channel instanceof Recoverable r) {
                r.addRecoveryListener(new RecoveryListener() {
                    @Override
                    public void handleRecoveryStarted(Recoverable recoverable) {
                        // Tags from before the recovery are dead; the broker requeued those messages.
                        generation.incrementAndGet();
                    }

                    @Override
                    public void handleRecovery(Recoverable recoverable) {
                        LOG.info("mapping {} on {} recovered its channel", name, queue);
                    }
                });
            }
            needsChannel = false;
            needsConsume = true;
        }
        if (needsConsume) {
            if (!channel.isOpen()) {
                // Connection down: it recovers with its channels. Connection up: the channel died (say the
                // queue was missing when we consumed), so open another.
                needsChannel = connection.isOpen();
                return false;
            }
            consumerTag = channel.basicConsume(queue, false, "esm-" + name, new Consumer(channel));
            needsConsume = false;
            LOG.info("mapping {} consuming {} (batch {}, window {} ms)", name, queue, function.spec().batchSize(),
                    function.spec().batchWindowMs());
        }
        return true;
    }

    private List<PendingDelivery> collect() throws InterruptedException {
        List<PendingDelivery> batch = new ArrayList<>();
        PendingDelivery first = carried != null ? carried : buffer.poll(200, TimeUnit.MILLISECONDS);
        carried = null;
        if (first == null || stale(first)) {
            return batch;
        }
        FunctionSpec spec = function.spec();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(spec.batchWindowMs());
        batch.add(first);
        long size = EVENT_OVERHEAD_BYTES + sizeOf(first);
        while (batch.size() < spec.batchSize()) {
            long left = deadline - System.nanoTime();
            PendingDelivery next = left > 0 ? buffer.poll(left, TimeUnit.NANOSECONDS) : buffer.poll();
            if (next == null) {
                break;
            }
            if (stale(next)) {
                continue;
            }
            long s = sizeOf(next);
            if (size + s > MAX_PAYLOAD_BYTES) {
                carried = next; // starts the next batch
                break;
            }
            batch.add(next);
            size += s;
        }
        return batch;
    }

    private boolean stale(PendingDelivery d) {
        return d.generation() != generation.get();
    }

    private static long sizeOf(PendingDelivery d) {
        // base64 body plus the rendered properties, close enough to decide the 6 MB cut
        return 4L * ((d.body().length + 2) / 3) + 600 + (d.properties().getHeaders() == null ? 0 : 64L * d.properties().getHeaders().size());
    }

    private void process(List<PendingDelivery> batch) throws IOException {
        List<ObjectNode> messages = batch.stream().map(RabbitMqEventJson::message).toList();
        byte[] event = JSON.writeValueAsBytes(RabbitMqEventJson.event(queue, vhost, messages));
        if (event.length > MAX_PAYLOAD_BYTES) {
            LOG.warn("mapping {}: a batch of {} is {} bytes, over Lambda's 6 MB; invoking anyway", name, batch.size(), event.length);
        }
        if (environment == null || !environment.isAlive()) {
            environment = function.newEnvironment();
        }
        long lastTag = batch.get(batch.size() - 1).deliveryTag();
        long gen = batch.get(0).generation();
        InvocationResult result = environment.invoke(event);
        if (gen != generation.get()) {
            LOG.info("mapping {}: the channel recovered during the invocation; the broker redelivers that batch", name);
            return;
        }
        if (result instanceof InvocationResult.Returned) {
            channel.basicAck(lastTag, true);
            return;
        }
        if (result instanceof InvocationResult.Failed f) {
            LOG.warn("mapping {}: function {} failed{}; requeueing the batch of {}", name, function.spec().name(),
                    f.duringInit() ? " during init" : "", batch.size(), f.error());
        } else {
            LOG.warn("mapping {}: function {} timed out after {} s; requeueing the batch of {}", name, function.spec().name(),
                    function.spec().timeoutSeconds(), batch.size());
        }
        channel.basicNack(lastTag, true, true);
    }

    private void closeChannel() {
        Channel ch = channel;
        channel = null;
        buffer.clear();
        carried = null;
        if (ch != null && ch.isOpen()) {
            try {
                ch.close(); // unacknowledged messages go back to the queue
            } catch (Exception e) {
                LOG.debug("closing channel of {}: {}", name, e.toString());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Consumer extends DefaultConsumer {
        Consumer(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            buffer.add(new PendingDelivery(generation.get(), envelope, properties, body));
        }

        @Override
        public void handleCancel(String tag) {
            LOG.warn("mapping {}: the broker cancelled the consumer on {} (queue deleted?); resubscribing", name, queue);
            needsConsume = true;
        }

        @Override
        public void handleShutdownSignal(String tag, ShutdownSignalException sig) {
            if (!sig.isHardError() && !sig.isInitiatedByApplication()) {
                // A channel-level error: automatic recovery does not bring the channel back; open a new one.
                LOG.warn("mapping {}: channel closed by the broker ({}); opening a new one", name, sig.getMessage());
                needsChannel = true;
            }
        }
    }
}
