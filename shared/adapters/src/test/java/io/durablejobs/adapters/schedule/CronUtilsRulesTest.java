package io.durablejobs.adapters.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.schedule.CronRules;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class CronUtilsRulesTest {
    final CronUtilsRules rules = new CronUtilsRules();

    @Test
    void nineOClockInBerlin_staysAtNineAcrossTheDaylightSavingChange() {
        CronRules.Cron c = rules.parse("0 9 * * *");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        // 2026-03-29: clocks go from UTC+1 to UTC+2.
        assertThat(c.next(Instant.parse("2026-03-28T09:00:00Z"), berlin)).hasValue(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(c.next(Instant.parse("2026-03-27T12:00:00Z"), berlin)).hasValue(Instant.parse("2026-03-28T08:00:00Z"));
    }

    @Test
    void stepsRangesAndNames_followUnixCron() {
        CronRules.Cron c = rules.parse("*/15 8-9 * * MON-FRI");
        ZoneId utc = ZoneId.of("UTC");
        // 2026-11-27 is a Friday: after 09:45 the next tick is Monday 08:00.
        assertThat(c.next(Instant.parse("2026-11-27T09:45:00Z"), utc)).hasValue(Instant.parse("2026-11-30T08:00:00Z"));
        assertThat(c.next(Instant.parse("2026-11-30T08:00:00Z"), utc)).hasValue(Instant.parse("2026-11-30T08:15:00Z"));
    }

    @Test
    void invalidExpressions_areRefusedWithAMessage() {
        for (String bad : new String[] {"61 * * * *", "* * *", "* * * * * * *", "every minute", ""}) {
            assertThatThrownBy(() -> rules.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
        }
    }
}
