package io.durablejobs.adapters.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom the broker and Redis clients trust over TLS: the certificate authorities of
 * {@code JOBS_TLS_TRUST_STORE} when set, else the JVM's (which include Amazon's, for Amazon MQ and
 * ElastiCache). Trust decides only which chains are accepted; the host name is always checked too, by
 * each client (see {@code AmqpConnections}, {@code RedisSession}).
 */
public final class PeerTrust {
    private PeerTrust() {
    }

    /** @param trustStore the configured authorities, or null for the JVM's defaults */
    public static TrustManagerFactory trustManagers(KeyStore trustStore) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore); // null: the JVM's cacerts
            return tmf;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS trust managers", e);
        }
    }

    public static SSLContext sslContext(KeyStore trustStore) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, trustManagers(trustStore).getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context", e);
        }
    }
}
