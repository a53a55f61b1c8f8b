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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

    /** The conservation ledger: accepted = finished + in flight, counted once per job in the tenant's Redis slot. */
    private final io.durablejobs.core.ledger.Ledger ledger;
    /** Metrics (EMF, local view, PutMetricData) and spans. */
    private final FunctionTelemetry telemetry;
    /** Dead-letter records ({@code JOBS_DEAD_LETTER_STORE}); opened on first use, only the API and the DLQ consumer need them. */
    private volatile io.durablejobs.core.dlq.DeadLetterStore deadLetters;
    private final java.util.Map<String, String> env;

    private PlatformClients(JobsConfig config, JobTypeRegistry registry, Connection amqp, RedisSession redis, Clock clock) {
        this(config, registry, amqp, redis, clock, "function");
    }

    private PlatformClients(JobsConfig config, JobTypeRegistry registry, Connection amqp, RedisSession redis, Clock clock, String functionName) {
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
        this.env = Env.current();
        this.ledger = new io.durablejobs.adapters.ledger.RedisLedger(redis.commands(), config.namespace(), config.statusTtl(),
                new io.durablejobs.core.config.Settings(env).duration("JOBS_LEDGER_TTL", "400d"));
        this.telemetry = FunctionTelemetry.open(env, config.namespace(), redis, functionName);
    }

    public static PlatformClients connect(JobsConfig config, JobTypeRegistry registry, String functionName) {
        // Redis is opened on a thread of its own while the broker connection is made: the two handshakes (TLS
        // on AWS) and the class loading behind them overlap, which shortens a cold start's init.
        CompletableFuture<RedisSession> redisOpening = CompletableFuture.supplyAsync(
                () -> RedisSession.open(config.redisUri(), config.redisCluster(), RedisSession.DEFAULT_COMMAND_TIMEOUT, config.tlsTrustStore()),
                PlatformClients::startDaemon);
        Connection amqp;
        try {
            amqp = AmqpConnections.open(config.rabbitmqUri(), functionName, config.tlsTrustStore());
        } catch (IOException | RuntimeException e) {
            redisOpening.thenAccept(RedisSession::close);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot connect to RabbitMQ", io);
            }
            throw (RuntimeException) e;
        }
        RedisSession redis;
        try {
            redis = redisOpening.join();
        } catch (CompletionException e) {
            closeQuietly(amqp);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return new PlatformClients(config, registry, amqp, redis, Clock.systemUTC(), functionName);
    }

    private static void startDaemon(Runnable r) {
        Thread t = new Thread(r, "redis-connect");
        t.setDaemon(true);
        t.start();
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

    public io.durablejobs.core.ledger.Ledger ledger() {
        return ledger;
    }

    public FunctionTelemetry telemetry() {
        return telemetry;
    }

    /** The dead-letter store, opened on first use from the environment the clients were built in. */
    public io.durablejobs.core.dlq.DeadLetterStore deadLetters() {
        io.durablejobs.core.dlq.DeadLetterStore d = deadLetters;
        if (d == null) {
            synchronized (this) {
                if (deadLetters == null) {
                    deadLetters = io.durablejobs.core.dlq.DeadLetterStores.open(env);
                }
                d = deadLetters;
            }
        }
        return d;
    }

    public BlobStore blobs() {
        return blobs;
    }

    @Override
    public void close() {
        telemetry.close();
        if (deadLetters != null) {
            deadLetters.close();
        }
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
