package io.durablejobs.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobIdsTest {
    @Test
    void newIds_areValidUuidV7_andSortByTime() {
        String a = JobIds.newId(1_700_000_000_000L);
        String b = JobIds.newId(1_700_000_000_001L);
        assertThat(JobIds.isValid(a)).isTrue();
        assertThat(a.charAt(14)).isEqualTo('7');
        assertThat(a.compareTo(b)).isNegative();
    }

    @Test
    void rejectsAnythingElse() {
        assertThat(JobIds.isValid("../../etc/passwd")).isFalse();
        assertThat(JobIds.isValid("550e8400-e29b-41d4-a716-446655440000")).isFalse(); // v4
        assertThat(JobIds.isValid(null)).isFalse();
    }
}
