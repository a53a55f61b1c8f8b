package io.durablejobs.adapters.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.adapters.testing.TestCertificates;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.adapters.testing.TlsTerminatingProxy;
import io.durablejobs.core.config.JobsConfig;
import java.net.URI;
import java.security.KeyStore;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * amqps:// verifies the broker: its certificate chain against the trusted authorities, and its host name.
 * A TLS listener on 127.0.0.1 with certificates from a test authority stands in front of the real broker.
 */
class AmqpTlsIT {
    static TestCertificates ca;
    static KeyStore trustingTheTestCa;
    static URI broker;

    @BeforeAll
    static void setUp() throws Exception {
        ca = new TestCertificates("durable-jobs test CA (AMQP)");
        // Read as the platform reads it at start: through the JOBS_TLS_TRUST_STORE setting.
        trustingTheTestCa = JobsConfig.from(Map.of("JOBS_TLS_TRUST_STORE", ca.caPem().toString())).tlsTrustStore();
        broker = URI.create(TestServers.rabbitUri());
    }

    /** The broker's URI, but amqps:// to the listener under {@code host}. */
    static String amqpsVia(TlsTerminatingProxy proxy, String host) {
        String path = broker.getRawPath() == null || broker.getRawPath().isEmpty() ? "/%2f" : broker.getRawPath();
        return "amqps://" + broker.getRawUserInfo() + "@" + host + ":" + proxy.port() + path;
    }

    static int brokerPort() {
        return broker.getPort() < 0 ? 5672 : broker.getPort();
    }

    @Test
    void aCertificateFromAnAuthorityNotTrusted_isRefused() throws Exception {
        try (TlsTerminatingProxy proxy = new TlsTerminatingProxy(ca.issue("localhost", "127.0.0.1").serverContext(), brokerPort())) {
            Throwable refused = catchThrowable(() -> AmqpConnections.open(amqpsVia(proxy, "localhost"), "tls-it", null).close());
            assertThat(refused).as("the JVM's authorities do not include the test CA").isNotNull();
            assertThat(chain(refused)).contains("PKIX path building failed");
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostName_isRefused() throws Exception {
        try (TlsTerminatingProxy proxy = new TlsTerminatingProxy(ca.issue("broker.elsewhere.example").serverContext(), brokerPort())) {
            Throwable refused = catchThrowable(() -> AmqpConnections.open(amqpsVia(proxy, "localhost"), "tls-it", trustingTheTestCa).close());
            assertThat(refused).as("the chain is trusted, the name is not the broker's").isNotNull();
            assertThat(chain(refused)).contains("No subject alternative DNS name matching localhost");
        }
    }

    @Test
    void aTrustedCertificateForTheHostName_isAccepted_andTheConnectionWorks() throws Exception {
        try (TlsTerminatingProxy proxy = new TlsTerminatingProxy(ca.issue("localhost", "127.0.0.1").serverContext(), brokerPort())) {
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                try (Connection c = AmqpConnections.open(amqpsVia(proxy, host), "tls-it", trustingTheTestCa);
                     Channel ch = c.createChannel()) {
                    String queue = ch.queueDeclare().getQueue(); // server-named, exclusive: gone with the connection
                    assertThat(ch.queueDeclarePassive(queue).getQueue()).isEqualTo(queue);
                }
            }
        }
    }

    static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" | ");
        }
        return b.toString();
    }
}
