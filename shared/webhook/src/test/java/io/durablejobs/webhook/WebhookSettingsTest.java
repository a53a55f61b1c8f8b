package io.durablejobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.config.ConfigException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {
    static final String SECRET = secretOf(32);

    @Test
    void usesTheDefaults() {
        WebhookSettings s = WebhookSettings.from(Map.of("JOBS_WEBHOOK_SIGNING_SECRET", SECRET));

        assertThat(s.allowPrivateNetworks()).isFalse();
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.maxConnections()).isEqualTo(256);
    }

    @Test
    void readsEverySetting() {
        WebhookSettings s = WebhookSettings.from(Map.of(
                "JOBS_WEBHOOK_SIGNING_SECRET", SECRET,
                "JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true",
                "JOBS_WEBHOOK_CONNECT_TIMEOUT", "250ms",
                "JOBS_WEBHOOK_TIMEOUT", "2m",
                "JOBS_WEBHOOK_MAX_CONNECTIONS", "8"));

        assertThat(s.allowPrivateNetworks()).isTrue();
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.maxConnections()).isEqualTo(8);
    }

    @Test
    void requiresTheSigningSecret() {
        assertThatThrownBy(() -> WebhookSettings.from(Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().contains("JOBS_WEBHOOK_SIGNING_SECRET").contains("required"));
    }

    @Test
    void acceptsSecretsOf24To64Bytes() {
        assertThat(WebhookSettings.from(Map.of("JOBS_WEBHOOK_SIGNING_SECRET", secretOf(24)))).isNotNull();
        assertThat(WebhookSettings.from(Map.of("JOBS_WEBHOOK_SIGNING_SECRET", secretOf(64)))).isNotNull();
        assertThatThrownBy(() -> WebhookSettings.from(Map.of("JOBS_WEBHOOK_SIGNING_SECRET", secretOf(23)))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> WebhookSettings.from(Map.of("JOBS_WEBHOOK_SIGNING_SECRET", secretOf(65)))).isInstanceOf(ConfigException.class);
    }

    @Test
    void namesEveryBadSettingWithoutPrintingTheSecret() {
        String leaked = "hunter2hunter2hunter2hunter2";
        assertThatThrownBy(() -> WebhookSettings.from(Map.of(
                "JOBS_WEBHOOK_SIGNING_SECRET", leaked,
                "JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "maybe",
                "JOBS_WEBHOOK_CONNECT_TIMEOUT", "0s",
                "JOBS_WEBHOOK_TIMEOUT", "soon",
                "JOBS_WEBHOOK_MAX_CONNECTIONS", "0")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(5);
                    assertThat(e.getMessage()).contains("JOBS_WEBHOOK_SIGNING_SECRET", "JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS",
                            "JOBS_WEBHOOK_CONNECT_TIMEOUT", "JOBS_WEBHOOK_TIMEOUT", "JOBS_WEBHOOK_MAX_CONNECTIONS");
                    assertThat(e.getMessage()).doesNotContain(leaked);
                });
    }

    @Test
    void refusesABadBase64SecretWithoutEchoingIt() {
        assertThatThrownBy(() -> WebhookSettings.from(Map.of("JOBS_WEBHOOK_SIGNING_SECRET", "whsec_not*base64*at*all")))
                .isInstanceOf(ConfigException.class)
                .hasMessageNotContaining("not*base64");
    }

    @Test
    void neverPrintsTheSecret() {
        WebhookSettings s = WebhookSettings.from(Map.of("JOBS_WEBHOOK_SIGNING_SECRET", SECRET));
        assertThat(s.toString()).doesNotContain(SECRET.substring(6));
        assertThat(s.signingSecret().toString()).isEqualTo("SigningSecret[redacted]");
    }

    /** Random, not zeros: HMAC pads short keys with zeros, so all-zero keys of different lengths are one key. */
    static String secretOf(int bytes) {
        byte[] key = new byte[bytes];
        new java.security.SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }
}
