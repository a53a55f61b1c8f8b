package io.durablejobs.adapters.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeoutException;

/**
 * Opens the one long-lived connection a process (or Lambda execution environment) uses. Automatic
 * recovery reconnects after a broker restart and re-opens channels; topology recovery is off because
 * every queue here is durable and declared by the deploy step, not by clients.
 */
public final class AmqpConnections {
    private AmqpConnections() {
    }

    public static ConnectionFactory factory(String uri) {
        ConnectionFactory f = new ConnectionFactory();
        try {
            f.setUri(uri); // amqps:// enables TLS with the JVM's trust store, as Amazon MQ needs
        } catch (URISyntaxException | GeneralSecurityException e) {
            throw new IllegalArgumentException("bad RabbitMQ URI (not shown: it may hold a password)", e);
        }
        f.setAutomaticRecoveryEnabled(true);
        f.setTopologyRecoveryEnabled(false);
        f.setNetworkRecoveryInterval(1000);
        f.setRequestedHeartbeat(30);
        f.setConnectionTimeout(5000);
        f.setHandshakeTimeout(5000);
        f.setShutdownTimeout(2000);
        return f;
    }

    public static Connection open(String uri, String connectionName) throws IOException {
        try {
            return factory(uri).newConnection(connectionName);
        } catch (TimeoutException e) {
            throw new IOException("timed out connecting to RabbitMQ", e);
        }
    }
}
