package io.durablejobs.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.topology.QueueType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobsConfigTest {
    @Test
    void defaults_matchTheReadme() {
        JobsConfig c = JobsConfig.from(Map.of());
        assertThat(c.namespace()).isEqualTo("jobs");
        assertThat(c.rabbitmqUri()).isEqualTo("amqp://guest:guest@127.0.0.1:5672/%2f");
        assertThat(c.redisUri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(c.queueType()).isEqualTo(QueueType.QUORUM);
        assertThat(c.maxBodyBytes()).isEqualTo(256 * 1024);
        assertThat(c.idempotencyTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(c.apiKeys().tenantCount()).isZero();
        assertThat(c.ledgerTtl()).isEqualTo(Duration.ofDays(400));
        assertThat(JobsConfig.DEFAULTS).usingRecursiveComparison().isEqualTo(c);
    }

    @Test
    void aBadLedgerTtl_stopsTheStart_ratherThanBecomingTheDefault() {
        assertThatThrownBy(() -> JobsConfig.from(Map.of("JOBS_LEDGER_TTL", "bogus")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement().asString()
                        .startsWith("JOBS_LEDGER_TTL=bogus: not a duration"));
        assertThat(JobsConfig.from(Map.of("JOBS_LEDGER_TTL", "30d")).ledgerTtl()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void readingIntoSharedSettings_collectsProblems_untilTheCallerChecks() {
        Settings s = new Settings(Map.of("JOBS_DELIVERY_LIMIT", "0", "JOBS_LEDGER_TTL", "soon"));
        JobsConfig c = JobsConfig.read(s);
        assertThat(c.deliveryLimit()).as("the default stands in while problems are collected").isEqualTo(5);
        s.problem("ANOTHER_SETTING: read by another module");
        assertThatThrownBy(s::check).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3)
                .anySatisfy(p -> assertThat(p).startsWith("JOBS_DELIVERY_LIMIT=0"))
                .anySatisfy(p -> assertThat(p).startsWith("JOBS_LEDGER_TTL=soon"))
                .anySatisfy(p -> assertThat(p).startsWith("ANOTHER_SETTING")));
    }

    @Test
    void theTopology_isBuiltFromTheSettings_shardsIncluded() {
        var t = JobsConfig.from(Map.of("JOBS_NAMESPACE", "t1", "JOBS_SHARDS", "a.b=2")).topology(java.util.List.of("a.b", "c.d"));
        assertThat(t.workQueuesOf("a.b")).hasSize(2);
        assertThat(t.workQueue("c.d")).isEqualTo("t1.c.d");
    }

    @Test
    void everyBadSetting_isNamed_inOneError_withoutSecrets() {
        assertThatThrownBy(() -> JobsConfig.from(Map.of(
                "JOBS_NAMESPACE", "Bad Name!",
                "JOBS_REDIS_URI", "http://x",
                "JOBS_QUEUE_TYPE", "stream",
                "JOBS_API_KEYS", "t1=short",
                "JOBS_RETRY_TIERS", "1s,soon")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(5);
                    assertThat(e.getMessage()).contains("JOBS_NAMESPACE", "JOBS_REDIS_URI", "JOBS_QUEUE_TYPE", "JOBS_API_KEYS", "JOBS_RETRY_TIERS");
                    assertThat(e.getMessage()).doesNotContain("short");
                });
    }

    @Test
    void tlsTrustStore_isTheJvmsByDefault_andAPemOrPkcs12File_isReadAtStart(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThat(JobsConfig.from(Map.of()).tlsTrustStore()).as("null: the JVM's authorities").isNull();
        // Two real authority certificates, taken from the JDK's own trust store.
        java.security.KeyStore cacerts = java.security.KeyStore.getInstance(
                java.nio.file.Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toFile(), (char[]) null);
        var aliases = java.util.Collections.list(cacerts.aliases()).subList(0, 2);
        StringBuilder pem = new StringBuilder();
        for (String a : aliases) {
            pem.append("-----BEGIN CERTIFICATE-----\n")
                    .append(java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cacerts.getCertificate(a).getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        java.nio.file.Path pemFile = java.nio.file.Files.writeString(dir.resolve("ca.pem"), pem);
        java.security.KeyStore fromPem = JobsConfig.from(Map.of("JOBS_TLS_TRUST_STORE", pemFile.toString())).tlsTrustStore();
        assertThat(java.util.Collections.list(fromPem.aliases())).hasSize(2);

        java.security.KeyStore p12 = java.security.KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        p12.setCertificateEntry("ca", cacerts.getCertificate(aliases.get(0)));
        java.nio.file.Path p12File = dir.resolve("trust.p12");
        try (var out = java.nio.file.Files.newOutputStream(p12File)) {
            p12.store(out, "s3cret-pass".toCharArray());
        }
        assertThat(JobsConfig.from(Map.of("JOBS_TLS_TRUST_STORE", p12File.toString(), "JOBS_TLS_TRUST_STORE_PASSWORD", "s3cret-pass"))
                .tlsTrustStore().isCertificateEntry("ca")).isTrue();
    }

    @Test
    void aMissingOrUnreadableTrustStore_stopsTheStart_namingTheSetting(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path garbage = java.nio.file.Files.writeString(dir.resolve("not-a-store.pem"), "hello");
        assertThatThrownBy(() -> JobsConfig.from(Map.of("JOBS_TLS_TRUST_STORE", dir.resolve("missing.pem").toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JOBS_TLS_TRUST_STORE").hasMessageContaining("no such file");
        assertThatThrownBy(() -> JobsConfig.from(Map.of("JOBS_TLS_TRUST_STORE", garbage.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JOBS_TLS_TRUST_STORE")
                .hasMessageContaining("neither PEM certificates nor a PKCS12 trust store");
        assertThatThrownBy(() -> JobsConfig.from(Map.of("JOBS_TLS_TRUST_STORE", dir.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be a regular file");
    }

    @Test
    void durations_readAsPeopleWriteThem() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("PT5S")).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> Durations.parse("soon")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scopedEnvironment_isSeenOnlyInsideTheScope() throws Exception {
        String inside = Env.with(Map.of("JOBS_NAMESPACE", "scoped"), () -> JobsConfig.fromEnv().namespace());
        assertThat(inside).isEqualTo("scoped");
        assertThat(Env.current()).isSameAs(System.getenv());
    }

    @Test
    void aBadSettingWithoutADefault_isReportedLikeAnyOther() {
        assertThatThrownBy(() -> JobsConfig.from(Map.of("JOBS_TLS_TRUST_STORE", "/no/such/trust-store.pem", "JOBS_NAMESPACE", "Bad!")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2)
                        .anySatisfy(p -> assertThat(p).startsWith("JOBS_TLS_TRUST_STORE=/no/such/trust-store.pem"))
                        .anySatisfy(p -> assertThat(p).startsWith("JOBS_NAMESPACE")));
    }

    @Test
    void shards_areReadAsTypeCountPairs_andBadOnesNamed() {
        assertThat(JobsConfig.from(Map.of("JOBS_SHARDS", "webhook.deliver=4, image.transform=2")).shards())
                .containsEntry("webhook.deliver", 4).containsEntry("image.transform", 2);
        assertThat(JobsConfig.from(Map.of()).shards()).isEmpty();
        assertThatThrownBy(() -> JobsConfig.from(Map.of("JOBS_SHARDS", "webhook.deliver=0"))).hasMessageContaining("JOBS_SHARDS");
        assertThatThrownBy(() -> JobsConfig.from(Map.of("JOBS_SHARDS", "nonsense"))).hasMessageContaining("JOBS_SHARDS");
    }
}
