package io.durablejobs.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void readsDeltaSeconds() {
        assertThat(RetryAfter.parse("7", NOW)).contains(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse(" 120 ", NOW)).contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("0", NOW)).contains(Duration.ZERO);
    }

    @Test
    void readsAnHttpDate() {
        assertThat(RetryAfter.parse("Sat, 01 Mar 2025 12:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
    }

    @Test
    void treatsAPastDateAsNow() {
        assertThat(RetryAfter.parse("Sat, 01 Mar 2025 11:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void capsAtOneHour() {
        assertThat(RetryAfter.parse("86400", NOW)).contains(Duration.ofHours(1));
        assertThat(RetryAfter.parse("99999999999999999999999", NOW)).contains(Duration.ofHours(1));
        assertThat(RetryAfter.parse("Tue, 01 Apr 2025 12:00:00 GMT", NOW)).contains(Duration.ofHours(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "-5", "1.5", "soon", "7s", "2025-03-01T12:00:30Z", "Sat, 32 Mar 2025 12:00:00 GMT"})
    void ignoresGarbage(String value) {
        assertThat(RetryAfter.parse(value, NOW)).as(value).isEmpty();
    }

    @Test
    void ignoresAMissingHeader() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }
}
