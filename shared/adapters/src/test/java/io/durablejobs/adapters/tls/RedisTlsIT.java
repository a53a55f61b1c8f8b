package io.durablejobs.adapters.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.adapters.testing.TestCertificates;
import io.durablejobs.adapters.testing.ThrowawayRedis;
import io.durablejobs.core.config.JobsConfig;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * rediss:// verifies Redis in full (Lettuce verifyPeer FULL): the chain against the trusted authorities and
 * the host name. Two redis-servers of the test's own speak only TLS, with certificates from a test authority.
 */
class RedisTlsIT {
    static TestCertificates ca;
    static KeyStore trustingTheTestCa;
    static ThrowawayRedis forLocalhost;
    static ThrowawayRedis forAnotherName;

    @BeforeAll
    static void start() throws Exception {
        ca = new TestCertificates("durable-jobs test CA (Redis)");
        Path caPem = ca.caPem();
        trustingTheTestCa = JobsConfig.from(Map.of("JOBS_TLS_TRUST_STORE", caPem.toString())).tlsTrustStore();
        TestCertificates.Issued right = ca.issue("localhost", "127.0.0.1");
        TestCertificates.Issued wrong = ca.issue("redis.elsewhere.example");
        forLocalhost = ThrowawayRedis.tls(right.certPem(), right.keyPem(), caPem);
        forAnotherName = ThrowawayRedis.tls(wrong.certPem(), wrong.keyPem(), caPem);
    }

    @AfterAll
    static void stop() throws Exception {
        if (forLocalhost != null) {
            forLocalhost.close();
        }
        if (forAnotherName != null) {
            forAnotherName.close();
        }
    }

    static Throwable connect(ThrowawayRedis redis, String host, KeyStore trust) {
        return catchThrowable(() -> {
            try (RedisSession s = RedisSession.open("rediss://" + host + ":" + redis.port(), false, Duration.ofSeconds(2), trust)) {
                s.commands().ping();
            }
        });
    }

    @Test
    void aCertificateFromAnAuthorityNotTrusted_isRefused() {
        Throwable refused = connect(forLocalhost, "localhost", null);
        assertThat(refused).as("the JVM's authorities do not include the test CA").isNotNull();
        assertThat(AmqpTlsIT.chain(refused)).contains("PKIX path building failed");
    }

    @Test
    void aTrustedCertificateForAnotherHostName_isRefused() {
        Throwable refused = connect(forAnotherName, "localhost", trustingTheTestCa);
        assertThat(refused).as("the chain is trusted, the name is not this Redis's").isNotNull();
        assertThat(AmqpTlsIT.chain(refused)).contains("No subject alternative DNS name matching localhost");
    }

    @Test
    void verifyPeerNoneInTheUri_doesNotTurnVerificationOff() {
        Throwable refused = catchThrowable(() -> {
            try (RedisSession s = RedisSession.open("rediss://localhost:" + forAnotherName.port() + "?verifyPeer=NONE", false,
                    Duration.ofSeconds(2), trustingTheTestCa)) {
                s.commands().ping();
            }
        });
        assertThat(AmqpTlsIT.chain(refused)).contains("No subject alternative DNS name matching localhost");
    }

    @Test
    void aTrustedCertificateForTheHostName_isAccepted_andCommandsWork() {
        for (String host : new String[] {"localhost", "127.0.0.1"}) {
            try (RedisSession s = RedisSession.open("rediss://" + host + ":" + forLocalhost.port(), false, Duration.ofSeconds(2),
                    trustingTheTestCa)) {
                s.commands().set("tls-it", host);
                assertThat(s.commands().get("tls-it")).isEqualTo(host);
            }
        }
    }
}
