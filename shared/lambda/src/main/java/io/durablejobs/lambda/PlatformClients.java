package io.durablejobs.lambda;

import com.rabbitmq.client.Connection;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.amqp.ConfirmingPublisher;
import io.durablejobs.adapters.amqp.PublishPipeline;
import io.durablejobs.adapters.ledger.RedisLedger;
import io.durablejobs.adapters.redis.RedisIdempotencyStore;
import io.durablejobs.adapters.redis.RedisJobStore;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.core.blob.BlobStore;
import io.durablejobs.core.blob.BlobStores;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.dlq.DeadLetterStore;
import io.durablejobs.core.dlq.DeadLetterStores;
import io.durablejobs.core.event.EventPublisher;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.metrics.ObservedPublisher;
import io.durablejobs.core.port.IdempotencyStore;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One execution environment's connections and the stores over them: one broker connection, one Redis
 * connection, the job store, idempotency store, ledger, publisher, blob and dead-letter stores (as their
 * ports), and the function's telemetry. Built once by a function's composition root (Lambda's init phase)
 * from settings already read and checked ({@link PlatformSettings}); nothing here reads the environment or
 * is a process-wide singleton. The broker and Redis connections are exposed too, for the adapters a function
 * builds over them (admission, queue depths, schedules, breakers).
 *
 * <p>If anything fails while it is being built, whatever was already opened is closed before the failure
 * propagates: a function that cannot start leaves no connection behind.
 */
public final class PlatformClients implements AutoCloseable {
    static {
        // Netty's leak detector (on by default, SIMPLE) records a stack trace for a sample of the buffers Lettuce
        // allocates, for every function on every invocation's Redis calls; nothing in a deployed function reads
        // those traces. Off unless asked for with -Dio.netty.leakDetection.level (tests hunting a leak may).
        if (System.getProperty("io.netty.leakDetection.level") == null && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    private final PlatformSettings settings;
    private final JobTypeRegistry registry;
    private final Topology topology;
    private final Connection amqp;
    private final ConfirmingPublisher publisher;
    private final RedisSession redis;
    private final JobStore store;
    private final IdempotencyStore idempotency;
    private final Clock clock;
    /**
     * Job inputs and outputs ({@code JOBS_BLOB_STORE}, local folder by default), served by the API's blob routes;
     * opened on first use: only the function serving those routes needs it (it opens it at init by wiring them).
     */
    private final OpenedOnFirstUse<BlobStore> blobs;
    /** The conservation ledger: accepted = finished + in flight, counted once per job in the tenant's Redis slot. */
    private final Ledger ledger;
    /** Metrics (EMF, local view, PutMetricData) and spans. */
    private final FunctionTelemetry telemetry;
    /**
     * The group-commit publisher over {@link #publisher} ({@link PublishPipeline}); started on first use: only a
     * worker, whose batch's jobs publish concurrently, gains from it.
     */
    private final OpenedOnFirstUse<PublishPipeline> publishPipeline;
    /** Dead-letter records ({@code JOBS_DEAD_LETTER_STORE}); opened on first use, only the store API and the DLQ consumer need them. */
    private final OpenedOnFirstUse<DeadLetterStore> deadLetters;

    private PlatformClients(PlatformSettings settings, JobTypeRegistry registry, Connection amqp, RedisSession redis, Clock clock,
                            String functionName) {
        JobsConfig config = settings.config();
        this.settings = settings;
        this.registry = registry;
        this.topology = config.topology(registry.names());
        this.amqp = amqp;
        this.redis = redis;
        this.clock = clock;
        RedisKeys keys = new RedisKeys(config.namespace());
        this.store = new RedisJobStore(redis.commands(), keys, clock);
        this.idempotency = new RedisIdempotencyStore(redis.commands(), keys);
        this.ledger = new RedisLedger(redis.commands(), config.namespace(), config.statusTtl(), config.ledgerTtl());
        this.publisher = new ConfirmingPublisher(amqp, config.publishConfirmTimeout());
        this.publishPipeline = new OpenedOnFirstUse<>(() -> new PublishPipeline(publisher), PublishPipeline::close);
        try {
            this.telemetry = FunctionTelemetry.open(settings.telemetry(), settings.env(), config.namespace(), redis, functionName);
        } catch (RuntimeException e) {
            publisher.close();
            throw e;
        }
        this.blobs = new OpenedOnFirstUse<>(() -> BlobStores.open(settings.env()), BlobStore::close);
        this.deadLetters = new OpenedOnFirstUse<>(() -> DeadLetterStores.open(settings.env()), DeadLetterStore::close);
    }

    /** Reads and checks the platform settings of {@code env}, then connects: for tests and tools with a small environment. */
    public static PlatformClients connect(Map<String, String> env, JobTypeRegistry registry, String functionName) {
        return connect(PlatformSettings.from(env), registry, functionName);
    }

    public static PlatformClients connect(PlatformSettings settings, JobTypeRegistry registry, String functionName) {
        return connect(settings, registry, functionName, () -> {
        });
    }

    /**
     * As {@link #connect(PlatformSettings, JobTypeRegistry, String)}, running {@code meanwhile} on the calling
     * thread once the broker connection is open and before waiting for Redis: init work of the function's own
     * (building its JSON readers and writers) that would otherwise wait for Redis's handshake, or for the first
     * request. If it throws, both connections are closed and the failure propagates.
     */
    public static PlatformClients connect(PlatformSettings settings, JobTypeRegistry registry, String functionName, Runnable meanwhile) {
        JobsConfig config = settings.config();
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
        try {
            meanwhile.run();
        } catch (RuntimeException | Error e) {
            closeQuietly(amqp);
            redisOpening.thenAccept(RedisSession::close);
            throw e;
        }
        RedisSession redis;
        try {
            redis = redisOpening.join();
        } catch (CompletionException e) {
            closeQuietly(amqp);
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        try {
            return new PlatformClients(settings, registry, amqp, redis, Clock.systemUTC(), functionName);
        } catch (RuntimeException | Error e) {
            closeQuietly(amqp);
            redis.close();
            throw e;
        }
    }

    private static void startDaemon(Runnable r) {
        Thread t = new Thread(r, "redis-connect");
        t.setDaemon(true);
        t.start();
    }

    public JobsConfig config() {
        return settings.config();
    }

    /** The environment the function was built from: the pluggable stores and job types read their own settings in it. */
    public Map<String, String> env() {
        return settings.env();
    }

    public JobTypeRegistry registry() {
        return registry;
    }

    public Topology topology() {
        return topology;
    }

    /** Confirmed publishes of job messages. */
    public JobPublisher publisher() {
        return publisher;
    }

    /**
     * The same publisher, with a span per message and dead-letter counts: what submits, replays and ticks publish
     * through (a worker's jobs publish through {@code observed(publishPipeline())}).
     */
    public JobPublisher observedPublisher() {
        return observed(publisher);
    }

    /** Confirmed publishes of completion events. */
    public EventPublisher events() {
        return publisher;
    }

    /**
     * Confirmed publishes of jobs and events from many threads at once, sent together (group commit): what a
     * worker's concurrent jobs publish through. Its first use starts its flusher thread.
     */
    public PublishPipeline publishPipeline() {
        return publishPipeline.get();
    }

    /** {@code base} (this environment's publisher or its pipeline) with a span per message and dead-letter counts. */
    public JobPublisher observed(JobPublisher base) {
        return new ObservedPublisher(base, topology, telemetry.tracing(), telemetry.metrics());
    }

    public JobStore store() {
        return store;
    }

    /** The broker connection, for the adapters that need more than publishing (queue depths). */
    public Connection amqp() {
        return amqp;
    }

    public IdempotencyStore idempotency() {
        return idempotency;
    }

    public RedisSession redis() {
        return redis;
    }

    public Clock clock() {
        return clock;
    }

    public Ledger ledger() {
        return ledger;
    }

    public FunctionTelemetry telemetry() {
        return telemetry;
    }

    /** The dead-letter store, opened on first use from the environment the clients were built in. */
    public DeadLetterStore deadLetters() {
        return deadLetters.get();
    }

    /** The blob store, opened on first use from the environment the clients were built in. */
    public BlobStore blobs() {
        return blobs.get();
    }

    @Override
    public void close() {
        telemetry.close();
        deadLetters.close();
        publishPipeline.close();
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
