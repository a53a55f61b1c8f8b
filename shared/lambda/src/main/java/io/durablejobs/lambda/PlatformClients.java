package io.durablejobs.lambda;

import com.rabbitmq.client.Connection;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.amqp.ConfirmingPublisher;
import io.durablejobs.adapters.redis.RedisIdempotencyStore;
import io.durablejobs.adapters.redis.RedisJobStore;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.core.blob.BlobStore;
import io.durablejobs.core.blob.BlobStores;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.topology.TopologyExport;
import io.durablejobs.core.type.JobTypeRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

/**
 * The composition root of one execution environment: the settings, one broker connection, one Redis
 * connection, and the adapters over them. Built once in a handler's no-arg constructor (Lambda's init
 * phase) and passed down; nothing here is a process-wide singleton.
 */
public final class PlatformClients implements AutoCloseable {
    private final JobsConfig config;
    private final JobTypeRegistry registry;
    private final Topology topology;
    private final Connection amqp;
    private final ConfirmingPublisher publisher;
    private final RedisSession redis;
    private final RedisJobStore store;
    private final RedisIdempotencyStore idempotency;
    private final Clock clock;
    /** Job inputs and outputs ({@code JOBS_BLOB_STORE}, local folder by default), read by the API's blob route. */
    private final BlobStore blobs;

    private PlatformClients(JobsConfig config, JobTypeRegistry registry, Connection amqp, RedisSession redis, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.topology = TopologyExport.fromConfig(config, registry);
        this.amqp = amqp;
        this.publisher = new ConfirmingPublisher(amqp, config.publishConfirmTimeout());
        this.redis = redis;
        this.clock = clock;
        this.store = new RedisJobStore(redis.commands(), new RedisKeys(config.namespace()), clock);
        this.idempotency = new RedisIdempotencyStore(redis.commands(), new RedisKeys(config.namespace()));
        this.blobs = BlobStores.open(Env.current());
    }

    public static PlatformClients connect(JobsConfig config, JobTypeRegistry registry, String functionName) {
        Connection amqp;
        try {
            amqp = AmqpConnections.open(config.rabbitmqUri(), functionName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to RabbitMQ", e);
        }
        RedisSession redis;
        try {
            redis = RedisSession.open(config.redisUri(), config.redisCluster());
        } catch (RuntimeException e) {
            closeQuietly(amqp);
            throw e;
        }
        return new PlatformClients(config, registry, amqp, redis, Clock.systemUTC());
    }

    public JobsConfig config() {
        return config;
    }

    public JobTypeRegistry registry() {
        return registry;
    }

    public Topology topology() {
        return topology;
    }

    public ConfirmingPublisher publisher() {
        return publisher;
    }

    public RedisJobStore store() {
        return store;
    }

    /** The broker connection, for the adapters that need more than publishing (queue depths). */
    public Connection amqp() {
        return amqp;
    }

    public RedisIdempotencyStore idempotency() {
        return idempotency;
    }

    public RedisSession redis() {
        return redis;
    }

    public Clock clock() {
        return clock;
    }

    public BlobStore blobs() {
        return blobs;
    }

    @Override
    public void close() {
        publisher.close();
        closeQuietly(amqp);
        redis.close();
        blobs.close();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close(2000);
        } catch (IOException | RuntimeException ignored) {
            // shutting down
        }
    }
}
