package io.durablejobs.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryTiersTest {
    private final RetryTiers tiers = new RetryTiers(RetryTiers.DEFAULT);

    @Test
    void wantedDelay_roundsUpToTheNextTier() {
        assertThat(tiers.tierFor(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThat(tiers.tierFor(Duration.ofMillis(1001))).isEqualTo(Duration.ofSeconds(5));
        assertThat(tiers.tierFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(tiers.tierFor(Duration.ofSeconds(31))).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void beyondTheLargestTier_usesTheLargest() {
        assertThat(tiers.tierFor(Duration.ofHours(5))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void labels_areShortAndQueueNameSafe() {
        assertThat(RetryTiers.label(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(RetryTiers.label(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(RetryTiers.label(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(RetryTiers.label(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(RetryTiers.label(Duration.ofSeconds(90))).isEqualTo("90s");
    }

    @Test
    void tiersAreSorted_andDuplicatesRefused() {
        assertThat(new RetryTiers(List.of(Duration.ofSeconds(5), Duration.ofSeconds(1))).all())
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThatThrownBy(() -> new RetryTiers(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryTiers(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hopToward_takesTheLargestTierNotPastTheDueTime_orTheSmallest() {
        RetryTiers t = new RetryTiers(RetryTiers.DEFAULT);
        assertThat(t.hopToward(Duration.ofDays(30))).isEqualTo(Duration.ofHours(1));
        assertThat(t.hopToward(Duration.ofMinutes(45))).isEqualTo(Duration.ofMinutes(10));
        assertThat(t.hopToward(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.hopToward(Duration.ofMillis(4999))).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.hopToward(Duration.ofMillis(10))).isEqualTo(Duration.ofSeconds(1));
    }
}
