package io.durablejobs.host;

import com.rabbitmq.client.Connection;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /healthz}: the broker is up when the host's connection is open, Redis when it answers PING
 * within a second. One Lettuce client for the host's life; its connection is re-made when it broke.
 */
final class HealthCheck implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final Supplier<Connection> broker;
    private final RedisClient redis;
    private StatefulRedisConnection<String, String> connection;

    record Status(boolean brokerUp, boolean redisUp) {
        boolean ok() {
            return brokerUp && redisUp;
        }
    }

    HealthCheck(Supplier<Connection> broker, String redisUri) {
        this.broker = broker;
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(TIMEOUT);
        this.redis = RedisClient.create(uri);
        this.redis.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(TIMEOUT).build())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
    }

    Status check() {
        Connection c = broker.get();
        return new Status(c != null && c.isOpen(), redisAnswers());
    }

    private synchronized boolean redisAnswers() {
        try {
            if (connection == null || !connection.isOpen()) {
                if (connection != null) {
                    connection.closeAsync();
                }
                connection = redis.connect();
            }
            return "PONG".equals(connection.async().ping().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (Exception e) {
            LOG.debug("redis health check failed: {}", e.toString());
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
        redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
