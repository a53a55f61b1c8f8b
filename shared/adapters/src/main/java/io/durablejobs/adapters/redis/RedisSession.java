package io.durablejobs.adapters.redis;

import io.durablejobs.adapters.tls.PeerTrust;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.StatefulRedisConnectionImpl;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.ClusterPushHandler;
import io.lettuce.core.cluster.StatefulRedisClusterConnectionImpl;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.json.JsonParser;
import io.lettuce.core.protocol.PushHandler;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The one Lettuce client and connection a process uses, standalone or cluster. Standalone commands fail
 * fast while disconnected (instead of queueing until a 60 s default timeout), so the API can answer 503 at
 * once and a worker can fail its batch back to the broker; cluster commands wait at most the command
 * timeout (see {@link #open(String, boolean, Duration)}).
 */
public final class RedisSession implements AutoCloseable {
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    /** Commands sent by every session of this process (a metric; the benchmark reads it). */
    private static final AtomicLong COMMANDS_SENT = new AtomicLong();
    /**
     * Flushes of a socket to Redis that carried at least one command, by every session of this process: each
     * is one round trip however many commands it carried (pipelined calls flushed together count once;
     * calls issued together but each flushed on its own count once each).
     */
    private static final AtomicLong FLUSHES_SENT = new AtomicLong();
    private static final CommandListener COUNTER = new CommandListener() {
        @Override
        public void commandStarted(CommandStartedEvent event) {
            COMMANDS_SENT.incrementAndGet();
        }
    };

    /**
     * One set of Lettuce threads (event loops, timer) for every session of this JVM, as Lettuce advises. On
     * Lambda a JVM holds one session anyway; the local host runs an execution environment per concurrent
     * request in one JVM, where threads of their own per session meant two event loops and a timer per
     * environment, and every reply woke a thread of its own. Its threads are daemons and live as long as the JVM.
     */
    private static final class Shared {
        static final ClientResources RESOURCES = resources();
    }

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisSync commands;
    /** The group-commit pipeline over a second connection of the same client; it connects on first use. */
    private final RedisPipeline pipeline;

    private RedisSession(AbstractRedisClient client, StatefulConnection<String, String> connection,
                         RedisClusterAsyncCommands<String, String> async, Duration commandTimeout) {
        this.client = client;
        this.connection = connection;
        this.commands = new LettuceSync(async, commandTimeout);
        this.pipeline = client instanceof RedisClusterClient cluster
                ? new RedisPipeline(() -> connectCluster(cluster), c -> ((StatefulRedisClusterConnection<String, String>) c).async())
                : new RedisPipeline(((RedisClient) client)::connect, c -> ((StatefulRedisConnection<String, String>) c).async());
    }

    public static RedisSession open(String uri, boolean cluster) {
        return open(uri, cluster, DEFAULT_COMMAND_TIMEOUT);
    }

    public static RedisSession open(String uri, boolean cluster, Duration commandTimeout) {
        return open(uri, cluster, commandTimeout, null);
    }

    /**
     * @param trustStore for {@code rediss://}: the authorities to trust ({@code JOBS_TLS_TRUST_STORE}), or null
     *                   for the JVM's. The peer is always verified in full, chain and host name, whatever the
     *                   URI says ({@code verifyPeer=NONE} or {@code CA} is overridden): RedisTlsIT pins it.
     */
    public static RedisSession open(String uri, boolean cluster, Duration commandTimeout, KeyStore trustStore) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(commandTimeout);
        if (redisUri.isSsl()) {
            redisUri.setVerifyPeer(SslVerifyMode.FULL);
        }
        SocketOptions socket = SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).keepAlive(true).build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(commandTimeout);
        // Built only for TLS: loading the JVM's authorities costs start-up time a plain connection need not pay.
        SslOptions ssl = redisUri.isSsl()
                ? SslOptions.builder().jdkSslProvider().trustManager(PeerTrust.trustManagers(trustStore)).build()
                : SslOptions.create();
        if (cluster) {
            RedisClusterClient c = new LazySyncClusterClient(Shared.RESOURCES, redisUri);
            c.addListener(COUNTER);
            // Lettuce opens a connection per cluster node lazily, and REJECT_COMMANDS also rejects a command
            // whose node connection is still being opened: every cold environment's first command per shard
            // would fail on ElastiCache Serverless (always cluster mode). So a cluster session accepts commands
            // while a node connection opens or reopens, still bounded by the command timeout, and opens every
            // master's connection now, where a failure belongs to start-up rather than to the first request.
            c.setOptions(ClusterClientOptions.builder().socketOptions(socket).timeoutOptions(timeouts).sslOptions(ssl)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS).build());
            StatefulRedisClusterConnection<String, String> conn;
            try {
                conn = connectCluster(c);
            } catch (RuntimeException e) {
                shutdown(c);
                throw e;
            }
            return new RedisSession(c, conn, conn.async(), commandTimeout);
        }
        RedisClient c = new LazySyncClient(Shared.RESOURCES, redisUri);
        c.addListener(COUNTER);
        c.setOptions(ClientOptions.builder().socketOptions(socket).timeoutOptions(timeouts).sslOptions(ssl)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        StatefulRedisConnection<String, String> conn;
        try {
            conn = c.connect();
        } catch (RuntimeException e) {
            shutdown(c);
            throw e;
        }
        return new RedisSession(c, conn, conn.async(), commandTimeout);
    }

    /** The client only: the shared resources live as long as the JVM. */
    private static void shutdown(AbstractRedisClient client) {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /**
     * The shared resources, with a counter of the flushes that reach each channel's socket. (Netty's
     * FlushConsolidationHandler, which would merge the flushes of calls issued together on a shared
     * connection, was measured here: end-to-end throughput fell in the same runs, so it is not used; the
     * worker's calls are merged by its own pipeline instead.)
     */
    private static ClientResources resources() {
        // No per-command latency histograms: nothing reads them, and recording one cost the event loop a
        // timestamp, a map lookup and a histogram update on every reply.
        return DefaultClientResources.builder().commandLatencyRecorder(CommandLatencyRecorder.disabled()).nettyCustomizer(new NettyCustomizer() {
            @Override
            public void afterChannelInitialized(Channel channel) {
                channel.pipeline().addFirst(new FlushCounter());
            }
        }).build();
    }

    /** Counts the flushes that carry bytes: each write reaching the socket's end of the pipeline, then its flush. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        private boolean written;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            written = true;
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) throws Exception {
            if (written) {
                written = false;
                FLUSHES_SENT.incrementAndGet();
            }
            ctx.flush();
        }
    }

    /** A cluster connection with every master's link opened (and checked) now. */
    private static StatefulRedisClusterConnection<String, String> connectCluster(RedisClusterClient c) {
        var conn = c.connect();
        try {
            for (var node : conn.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    LettuceFutures.awaitOrCancel(conn.getConnection(node.getNodeId()).async().ping(), conn.getTimeout().toNanos(),
                            TimeUnit.NANOSECONDS);
                }
            }
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
        return conn;
    }

    /**
     * The session's group-commit pipeline ({@link RedisPipeline}): for callers that make many concurrent calls
     * (a worker's batch) and gain from sending them together. Closed with the session.
     */
    public RedisPipeline pipeline() {
        return pipeline;
    }

    public static long flushesSent() {
        return FLUSHES_SENT.get();
    }

    public static long commandsSent() {
        return COMMANDS_SENT.get();
    }

    /** The commands the stores use, waited for up to the command timeout. */
    public RedisSync commands() {
        return commands;
    }

    /**
     * Lettuce's whole synchronous API over the same connection (tools and tests); it is built on the first
     * call, see {@link RedisSync} for why the stores do not use it.
     */
    @SuppressWarnings("unchecked")
    public RedisClusterCommands<String, String> lettuce() {
        return connection instanceof StatefulRedisClusterConnection<?, ?> cluster
                ? (RedisClusterCommands<String, String>) cluster.sync()
                : ((StatefulRedisConnection<String, String>) connection).sync();
    }

    /**
     * A client whose connections build Lettuce's synchronous API (a dynamic proxy over ~860 methods, see
     * {@link RedisSync}) on first use rather than as they are created: Lettuce's documented extension point
     * ({@code newStatefulRedisConnection} and {@code newRedisSyncCommandsImpl} "can be overridden to extend").
     */
    private static final class LazySyncClient extends RedisClient {
        LazySyncClient(ClientResources resources, RedisURI uri) {
            super(resources, uri);
        }

        @Override
        protected <K, V> StatefulRedisConnectionImpl<K, V> newStatefulRedisConnection(RedisChannelWriter writer, PushHandler pushHandler,
                                                                                      RedisCodec<K, V> codec, Duration timeout) {
            return new LazySyncConnection<>(writer, pushHandler, codec, timeout, getOptions().getJsonParser());
        }
    }

    /** As {@link LazySyncClient}, for the cluster connection and the connection to each node. */
    private static final class LazySyncClusterClient extends RedisClusterClient {
        LazySyncClusterClient(ClientResources resources, RedisURI uri) {
            super(resources, java.util.List.of(uri));
        }

        @Override
        protected <K, V> StatefulRedisConnectionImpl<K, V> newStatefulRedisConnection(RedisChannelWriter writer, PushHandler pushHandler,
                                                                                      RedisCodec<K, V> codec, Duration timeout,
                                                                                      Supplier<JsonParser> parser) {
            return new LazySyncConnection<>(writer, pushHandler, codec, timeout, parser);
        }

        @Override
        protected <V, K> StatefulRedisClusterConnectionImpl<K, V> newStatefulRedisClusterConnection(RedisChannelWriter writer,
                                                                                                    ClusterPushHandler pushHandler,
                                                                                                    RedisCodec<K, V> codec, Duration timeout,
                                                                                                    Supplier<JsonParser> parser) {
            return new LazySyncClusterConnection<>(writer, pushHandler, codec, timeout, parser);
        }
    }

    /**
     * Lettuce's synchronous proxy, built the first time something asks for it and once however many threads
     * ask. Lettuce's connection constructors build it through the factory method the connections below
     * override, never through {@code sync()}, so the holder exists before anyone can ask.
     */
    private static final class OnFirstUse<T> {
        private final Supplier<T> build;
        private volatile T value;

        OnFirstUse(Supplier<T> build) {
            this.build = build;
        }

        T get() {
            T v = value;
            if (v == null) {
                synchronized (this) {
                    v = value;
                    if (v == null) {
                        v = build.get();
                        value = v;
                    }
                }
            }
            return v;
        }
    }

    private static final class LazySyncConnection<K, V> extends StatefulRedisConnectionImpl<K, V> {
        private final OnFirstUse<RedisCommands<K, V>> lazySync = new OnFirstUse<>(super::newRedisSyncCommandsImpl);

        LazySyncConnection(RedisChannelWriter writer, PushHandler pushHandler, RedisCodec<K, V> codec, Duration timeout,
                           Supplier<JsonParser> parser) {
            super(writer, pushHandler, codec, timeout, parser);
        }

        @Override
        protected RedisCommands<K, V> newRedisSyncCommandsImpl() {
            return null; // built by sync() on first use
        }

        @Override
        public RedisCommands<K, V> sync() {
            return lazySync.get();
        }
    }

    private static final class LazySyncClusterConnection<K, V> extends StatefulRedisClusterConnectionImpl<K, V> {
        private final OnFirstUse<RedisAdvancedClusterCommands<K, V>> lazySync = new OnFirstUse<>(super::newRedisAdvancedClusterCommandsImpl);

        LazySyncClusterConnection(RedisChannelWriter writer, ClusterPushHandler pushHandler, RedisCodec<K, V> codec, Duration timeout,
                                  Supplier<JsonParser> parser) {
            super(writer, pushHandler, codec, timeout, parser);
        }

        @Override
        protected RedisAdvancedClusterCommands<K, V> newRedisAdvancedClusterCommandsImpl() {
            return null; // built by sync() on first use
        }

        @Override
        public RedisAdvancedClusterCommands<K, V> sync() {
            return lazySync.get();
        }
    }

    @Override
    public void close() {
        try {
            pipeline.close();
            connection.close();
        } finally {
            shutdown(client);
        }
    }
}
