package io.durablejobs.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));

    @Test
    void ceiling_doublesPerAttempt_andStopsAtTheCap() {
        assertThat(policy.ceilingAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.ceilingAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.ceilingAfter(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(policy.ceilingAfter(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.ceilingAfter(200)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void fullJitter_staysWithinZeroAndTheCeiling_andSpreads() {
        Random random = new Random(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long d = policy.delayAfter(4, random::nextDouble).toMillis();
            assertThat(d).isBetween(0L, 8000L);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(100);
        assertThat(max).isGreaterThan(7900);
    }

    @Test
    void fullJitter_extremesOfTheRandomSource() {
        assertThat(policy.delayAfter(3, () -> 0.0)).isEqualTo(Duration.ZERO);
        assertThat(policy.delayAfter(3, () -> 0.9999999)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void mayRetry_untilMaxAttemptsRuns() {
        assertThat(policy.mayRetryAfter(4)).isTrue();
        assertThat(policy.mayRetryAfter(5)).isFalse();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(2))).isInstanceOf(IllegalArgumentException.class);
    }
}
