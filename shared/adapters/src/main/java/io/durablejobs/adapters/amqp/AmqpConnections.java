package io.durablejobs.adapters.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URISyntaxException;
import io.durablejobs.adapters.tls.PeerTrust;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
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
        return factory(uri, null);
    }

    /**
     * @param trustStore for {@code amqps://}: the authorities to trust ({@code JOBS_TLS_TRUST_STORE}), or null
     *                   for the JVM's. Either way the broker's chain and its host name are verified: set
     *                   here explicitly rather than left to the client library's defaults (AmqpTlsIT pins it).
     */
    public static ConnectionFactory factory(String uri, KeyStore trustStore) {
        ConnectionFactory f = new ConnectionFactory();
        try {
            f.setUri(uri);
        } catch (URISyntaxException | GeneralSecurityException e) {
            throw new IllegalArgumentException("bad RabbitMQ URI (not shown: it may hold a password)", e);
        }
        if (f.isSSL()) {
            f.useSslProtocol(PeerTrust.sslContext(trustStore));
            f.enableHostnameVerification();
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
        return open(uri, connectionName, null);
    }

    public static Connection open(String uri, String connectionName, KeyStore trustStore) throws IOException {
        try {
            return factory(uri, trustStore).newConnection(connectionName);
        } catch (TimeoutException e) {
            throw new IOException("timed out connecting to RabbitMQ", e);
        }
    }
}
