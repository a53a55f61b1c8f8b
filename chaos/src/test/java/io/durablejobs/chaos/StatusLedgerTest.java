package io.durablejobs.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusLedgerTest {

    @Test
    void aSecondSucceededWrite_afterAnotherRun_inTheSameData_isADoubleCompletion() {
        StatusLedger l = new StatusLedger();
        l.newLife(1, true);
        l.statusWritten("j", "queued");
        l.statusWritten("j", "running");
        l.statusWritten("j", "succeeded");
        l.statusWritten("j", "succeeded"); // a rewrite of the same status is not a new completion
        assertThat(l.trail("j").completions()).isEqualTo(1);
        l.statusWritten("j", "running");
        l.statusWritten("j", "succeeded");
        assertThat(l.trail("j").completions()).isEqualTo(2);
        assertThat(l.trail("j").completionsBeyondOnePerGeneration()).isEqualTo(1);
        assertThat(l.trail("j").completionsAcrossDataLoss()).isZero();
    }

    @Test
    void aRestartThatKeepsData_continuesTheGeneration_oneThatLosesIt_startsANewOne() {
        StatusLedger l = new StatusLedger();
        l.newLife(1, true);
        l.statusWritten("j", "succeeded");
        l.newLife(2, false);
        l.statusWritten("j", "succeeded");
        assertThat(l.trail("j").completions()).isEqualTo(1);
        l.newLife(3, true);
        l.statusWritten("j", "succeeded"); // the record was gone: this is the platform recording it again
        assertThat(l.trail("j").completions()).isEqualTo(2);
        assertThat(l.trail("j").completionsBeyondOnePerGeneration()).isZero();
        assertThat(l.trail("j").completionsAcrossDataLoss()).isEqualTo(1);
    }

    @Test
    void aDeletedRecordRecreatedAsSucceeded_countsAsACompletion() {
        StatusLedger l = new StatusLedger();
        l.newLife(1, true);
        l.statusWritten("j", "succeeded");
        l.deleted("j");
        l.statusWritten("j", "succeeded");
        assertThat(l.trail("j").completionsBeyondOnePerGeneration()).isEqualTo(1);
    }
}
