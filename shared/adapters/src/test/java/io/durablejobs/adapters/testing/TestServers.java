package io.durablejobs.adapters.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.topology.ExchangeSpec;
import io.durablejobs.core.topology.QueueSpec;
import io.durablejobs.core.topology.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * The real RabbitMQ and Redis of this machine (or those named by JOBS_RABBITMQ_URI / JOBS_REDIS_URI),
 * with a fresh namespace per test class so runs never see each other's queues or keys, and a clean-up
 * that removes both.
 */
public final class TestServers implements AutoCloseable {
    private final String namespace;
    private final JobsConfig config;
    private final Connection amqp;
    private final RedisSession redis;
    private final List<Topology> declared = new ArrayList<>();

    public TestServers(String prefix) throws IOException {
        this(prefix, RedisTarget.STANDALONE);
    }

    /** With Redis {@code target}: the machine's standalone server, or the local cluster. */
    public TestServers(String prefix, RedisTarget target) throws IOException {
        this.namespace = "it-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        this.config = JobsConfig.from(Map.of()).withNamespace(namespace);
        this.redis = target.open();
        try {
            this.amqp = AmqpConnections.open(rabbitUri(), "test-" + namespace);
        } catch (IOException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    public static String rabbitUri() {
        return System.getenv().getOrDefault("JOBS_RABBITMQ_URI", JobsConfig.DEFAULT_RABBITMQ_URI);
    }

    public static String redisUri() {
        return System.getenv().getOrDefault("JOBS_REDIS_URI", JobsConfig.DEFAULT_REDIS_URI);
    }

    public String namespace() {
        return namespace;
    }

    public JobsConfig config() {
        return config;
    }

    public Connection amqp() {
        return amqp;
    }

    public RedisSession redis() {
        return redis;
    }

    /** Remember a topology so {@link #close()} deletes its queues and exchanges. */
    public Topology track(Topology t) {
        declared.add(t);
        return t;
    }

    public long messageCount(String queue) throws IOException {
        try (Channel ch = amqp.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        for (Topology t : declared) {
            for (QueueSpec q : t.queues()) {
                try (Channel ch = amqp.createChannel()) {
                    ch.queueDelete(q.name());
                } catch (IOException | TimeoutException | RuntimeException ignored) {
                    // already gone
                }
            }
            for (ExchangeSpec e : t.exchanges()) {
                try (Channel ch = amqp.createChannel()) {
                    ch.exchangeDelete(e.name());
                } catch (IOException | TimeoutException | RuntimeException ignored) {
                    // already gone
                }
            }
        }
        // On a cluster, KEYS asks every master and DEL splits the keys by slot (Lettuce's cluster commands).
        var keys = redis.commands().keys(namespace + "*");
        if (!keys.isEmpty()) {
            redis.commands().del(keys.toArray(String[]::new));
        }
        redis.close();
        amqp.close();
    }
}
