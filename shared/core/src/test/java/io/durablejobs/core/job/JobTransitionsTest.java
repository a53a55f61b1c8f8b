package io.durablejobs.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobTransitionsTest {
    @Test
    void terminalStates_neverGoBackToWork() {
        for (JobStatus to : new JobStatus[] {JobStatus.RUNNING, JobStatus.RETRYING, JobStatus.SUCCEEDED}) {
            assertThat(JobTransitions.isAllowed(JobStatus.SUCCEEDED, to)).as("succeeded -> %s", to).isFalse();
            assertThat(JobTransitions.isAllowed(JobStatus.DEAD_LETTERED, to)).as("dead_lettered -> %s", to).isFalse();
        }
    }

    @Test
    void onlyARunningJob_canSucceed() {
        for (JobStatus from : JobStatus.values()) {
            assertThat(JobTransitions.isAllowed(from, JobStatus.SUCCEEDED)).as("%s -> succeeded", from).isEqualTo(from == JobStatus.RUNNING);
        }
    }

    @Test
    void replay_movesADeadLetterBackToQueued_only() {
        assertThat(JobTransitions.allowedFrom(JobStatus.QUEUED)).containsExactly(JobStatus.DEAD_LETTERED);
    }

    @Test
    void aCrashedRun_mayRunAgain() {
        assertThat(JobTransitions.isAllowed(JobStatus.RUNNING, JobStatus.RUNNING)).isTrue();
    }

    @Test
    void wireNames_matchTheApi() {
        assertThat(JobStatus.DEAD_LETTERED.wire()).isEqualTo("dead_lettered");
        assertThat(JobStatus.fromWire("retrying")).contains(JobStatus.RETRYING);
        assertThat(JobStatus.fromWire("nope")).isEmpty();
    }
}
