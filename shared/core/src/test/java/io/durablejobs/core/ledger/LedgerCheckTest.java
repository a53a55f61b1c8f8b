package io.durablejobs.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.job.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LedgerCheckTest {
    private final InMemoryLedger ledger = new InMemoryLedger();
    private final AtomicLong queued = new AtomicLong();
    private Instant now = Instant.parse("2026-03-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final LedgerCheck check = new LedgerCheck(ledger, queued::get, Duration.ofMinutes(10), clock);

    @Test
    void jobsInFlight_matchingTheQueuedMessages_isNoMismatch() {
        ledger.accepted("t", "a", "j1");
        ledger.accepted("t", "a", "j2");
        ledger.finished("t", "a", "j1", 0, JobStatus.SUCCEEDED);
        queued.set(1);
        assertThat(check.run()).isEqualTo(new LedgerCheck.Result(1, 1, 0, 0));
    }

    @Test
    void aLostJob_isReported_onlyOnceTheDifferencePersists() {
        ledger.accepted("t", "a", "j1");
        queued.set(0);
        assertThat(check.run().difference()).isEqualTo(1);
        assertThat(check.run().mismatch()).as("within the grace period").isZero();
        now = now.plus(Duration.ofMinutes(11));
        assertThat(check.run().mismatch()).isEqualTo(1);
        queued.set(1);
        assertThat(check.run().mismatch()).as("back in balance resets it").isZero();
        queued.set(0);
        assertThat(check.run().mismatch()).as("a new difference starts a new grace period").isZero();
    }

    @Test
    void unknownQueueDepth_checksOnlyTheCounters() {
        ledger.accepted("t", "a", "j1");
        queued.set(-1);
        assertThat(check.run().difference()).isZero();
    }
}
