package io.durablejobs.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.port.Claim;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.Transition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link JobStore} must do; run against the in-memory fake and against Redis. */
public abstract class JobStoreContract {
    protected static final Duration TTL = Duration.ofMinutes(5);

    protected abstract JobStore store();

    private String queuedJob() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        String id = JobIds.newId(now.toEpochMilli());
        store().create(new JobRecord(id, "t1", "webhook.deliver", JobStatus.QUEUED, 0, now, now, null, null), TTL);
        return id;
    }

    @Test
    void create_thenFind_returnsTheRecord() {
        String id = queuedJob();
        JobRecord r = store().find(id).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(r.tenant()).isEqualTo("t1");
        assertThat(r.type()).isEqualTo("webhook.deliver");
        assertThat(r.attempts()).isZero();
    }

    @Test
    void scheduledJob_keepsItsRunAt_andIsClaimedWhenItsMessageComesDue() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        String id = JobIds.newId(now.toEpochMilli());
        Instant runAt = now.plus(Duration.ofDays(3));
        store().create(JobRecord.scheduled(envelope(id), now, runAt), TTL);
        JobRecord r = store().find(id).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(r.runAt()).isEqualTo(runAt);
        assertThat(store().claim(envelope(id), 1, LONG, 5, TTL)).isInstanceOf(Claim.Claimed.class);
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void cancel_notStarted_isFinal_andTheClaimRefusesIt() {
        String id = queuedJob();
        assertThat(store().cancel(id, TTL)).isEqualTo(JobStore.Cancellation.CANCELLED);
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(store().cancel(id, TTL)).as("again").isEqualTo(JobStore.Cancellation.CANCELLED);
        assertThat(store().claim(envelope(id), 1, LONG, 5, TTL)).isInstanceOf(Claim.Finished.class);
        assertThat(store().markDeadLettered(id, "x", TTL)).isEqualTo(JobStore.Result.REFUSED);
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void cancel_running_isOnlyARequest_thatTheRecordShows_andAFencedFinishCanEndCancelled() {
        String id = queuedJob();
        long token = ((Claim.Claimed) store().claim(envelope(id), 1, LONG, 5, TTL)).token();
        assertThat(store().cancelRequested(id)).isFalse();
        assertThat(store().cancel(id, TTL)).isEqualTo(JobStore.Cancellation.REQUESTED);
        JobRecord r = store().find(id).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(r.cancelRequested()).isTrue();
        assertThat(store().cancelRequested(id)).isTrue();
        assertThat(store().finish(id, token, Transition.to(JobStatus.CANCELLED, 1), TTL)).isEqualTo(JobStore.Result.APPLIED);
        assertThat(store().cancel(id, TTL)).isEqualTo(JobStore.Cancellation.CANCELLED);
    }

    @Test
    void cancel_finishedOrUnknown_changesNothing() {
        String id = queuedJob();
        store().transition(id, Transition.to(JobStatus.RUNNING, 1), TTL);
        store().transition(id, Transition.to(JobStatus.SUCCEEDED, 1), TTL);
        assertThat(store().cancel(id, TTL)).isEqualTo(JobStore.Cancellation.FINISHED);
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(store().cancel(JobIds.newId(1), TTL)).isEqualTo(JobStore.Cancellation.MISSING);
    }

    @Test
    void progress_ofARunningJob_isKept_andIgnoredOnceItFinished() {
        String id = queuedJob();
        Instant at = Instant.parse("2026-11-30T10:00:00Z");
        store().progress(id, new io.durablejobs.core.job.Progress(10, "not running yet", at));
        assertThat(store().find(id).orElseThrow().progress()).isNull();
        long token = ((Claim.Claimed) store().claim(envelope(id), 1, LONG, 5, TTL)).token();
        store().progress(id, new io.durablejobs.core.job.Progress(40, "page 4 of 10", at));
        var p = store().find(id).orElseThrow().progress();
        assertThat(p.percent()).isEqualTo(40);
        assertThat(p.message()).isEqualTo("page 4 of 10");
        assertThat(p.at()).isEqualTo(at);
        store().finish(id, token, Transition.to(JobStatus.SUCCEEDED, 1), TTL);
        store().progress(id, new io.durablejobs.core.job.Progress(50, "late", at));
        assertThat(store().find(id).orElseThrow().progress().percent()).as("the last report while running stays").isEqualTo(40);
    }

    @Test
    void failureHistory_andNextAttempt_areKeptForTheCurrentAttemptOnly() {
        String id = queuedJob();
        long token = ((Claim.Claimed) store().claim(envelope(id), 1, LONG, 5, TTL)).token();
        store().finish(id, token, Transition.to(JobStatus.RETRYING, 1), TTL);
        Instant at = Instant.parse("2026-11-30T10:00:00Z");
        var history = java.util.List.of(new io.durablejobs.core.job.FailureEntry(1, at, "retryable", "HTTP 503"));
        store().noteFailures(id, 1, history, at.plusSeconds(30));
        JobRecord r = store().find(id).orElseThrow();
        assertThat(r.nextAttemptAt()).isEqualTo(at.plusSeconds(30));
        assertThat(r.history()).singleElement().satisfies(e -> {
            assertThat(e.reason()).isEqualTo("retryable");
            assertThat(e.error()).isEqualTo("HTTP 503");
            assertThat(e.attempt()).isEqualTo(1);
        });
        store().noteFailures(id, 7, java.util.List.of(), null);
        assertThat(store().find(id).orElseThrow().history()).as("another attempt's note is ignored").hasSize(1);
    }

    @Test
    void find_unknown_isEmpty() {
        assertThat(store().find(JobIds.newId(1))).isEmpty();
    }

    @Test
    void delete_removesTheRecord() {
        String id = queuedJob();
        store().delete(id);
        assertThat(store().find(id)).isEmpty();
    }

    @Test
    void transition_unknownJob_isMissing() {
        assertThat(store().transition(JobIds.newId(1), Transition.to(JobStatus.RUNNING, 1), TTL)).isEqualTo(JobStore.Result.MISSING);
    }

    @Test
    void succeeded_isRecordedWithResult_andIsFinal() {
        String id = queuedJob();
        assertThat(store().transition(id, Transition.to(JobStatus.RUNNING, 1), TTL)).isEqualTo(JobStore.Result.APPLIED);
        var result = JsonNodeFactory.instance.objectNode().put("statusCode", 200);
        assertThat(store().transition(id, new Transition(JobStatus.SUCCEEDED, 1, result, null), TTL)).isEqualTo(JobStore.Result.APPLIED);
        JobRecord r = store().find(id).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(r.result().get("statusCode").asInt()).isEqualTo(200);
        assertThat(r.attempts()).isEqualTo(1);
        // A redelivered copy cannot run or re-complete a finished job.
        assertThat(store().transition(id, Transition.to(JobStatus.RUNNING, 1), TTL)).isEqualTo(JobStore.Result.REFUSED);
        assertThat(store().transition(id, Transition.to(JobStatus.RUNNING, 2), TTL)).isEqualTo(JobStore.Result.REFUSED);
        assertThat(store().transition(id, new Transition(JobStatus.RETRYING, 1, null, "late"), TTL)).isEqualTo(JobStore.Result.REFUSED);
    }

    @Test
    void runningAgain_sameAttempt_isAllowed_afterACrash() {
        String id = queuedJob();
        store().transition(id, Transition.to(JobStatus.RUNNING, 1), TTL);
        assertThat(store().transition(id, Transition.to(JobStatus.RUNNING, 1), TTL)).isEqualTo(JobStore.Result.APPLIED);
    }

    @Test
    void staleCopyOfAHandedOnAttempt_isRefused() {
        String id = queuedJob();
        store().transition(id, Transition.to(JobStatus.RUNNING, 1), TTL);
        store().transition(id, new Transition(JobStatus.RETRYING, 1, null, "HTTP 503"), TTL);
        assertThat(store().transition(id, Transition.to(JobStatus.RUNNING, 1), TTL)).isEqualTo(JobStore.Result.REFUSED);
        assertThat(store().transition(id, Transition.to(JobStatus.RUNNING, 2), TTL)).isEqualTo(JobStore.Result.APPLIED);
        JobRecord r = store().find(id).orElseThrow();
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(r.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void retrying_keepsTheError_andSuccessClearsIt() {
        String id = queuedJob();
        store().transition(id, Transition.to(JobStatus.RUNNING, 1), TTL);
        store().transition(id, new Transition(JobStatus.RETRYING, 1, null, "HTTP 503"), TTL);
        assertThat(store().find(id).orElseThrow().error()).isEqualTo("HTTP 503");
        store().transition(id, Transition.to(JobStatus.RUNNING, 2), TTL);
        store().transition(id, new Transition(JobStatus.SUCCEEDED, 2, null, null), TTL);
        assertThat(store().find(id).orElseThrow().error()).isNull();
    }

    @Test
    void illegalTransition_isRefused() {
        String id = queuedJob();
        assertThat(store().transition(id, Transition.to(JobStatus.SUCCEEDED, 1), TTL)).isEqualTo(JobStore.Result.REFUSED);
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    private JobEnvelope envelope(String id) {
        return new JobEnvelope(id, "t1", "webhook.deliver", JsonNodeFactory.instance.objectNode(), 4, Instant.parse("2026-01-01T00:00:00Z"));
    }

    private static final Duration LONG = Duration.ofMinutes(1);

    @Test
    void claim_givesIncreasingTokens_andALiveLeaseMakesOthersWait() {
        String id = queuedJob();
        Claim first = store().claim(envelope(id), 1, LONG, 5, TTL);
        assertThat(first).isInstanceOf(Claim.Claimed.class);
        Claim second = store().claim(envelope(id), 1, LONG, 5, TTL);
        assertThat(second).isInstanceOfSatisfying(Claim.Busy.class, b -> assertThat(b.leaseRemainingMillis()).isBetween(1L, LONG.toMillis()));
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void expiredLease_canBeTakenOver_andTheOldHolderIsFencedOut() throws Exception {
        String id = queuedJob();
        long oldToken = ((Claim.Claimed) store().claim(envelope(id), 1, Duration.ofMillis(30), 5, TTL)).token();
        Thread.sleep(60);
        Claim takeover = store().claim(envelope(id), 1, LONG, 5, TTL);
        assertThat(takeover).isInstanceOf(Claim.Claimed.class);
        long newToken = ((Claim.Claimed) takeover).token();
        assertThat(newToken).isGreaterThan(oldToken);
        assertThat(((Claim.Claimed) takeover).deliveries()).isEqualTo(2);
        assertThat(store().finish(id, newToken, new Transition(JobStatus.SUCCEEDED, 1, null, null), TTL)).isEqualTo(JobStore.Result.APPLIED);
        // The paused worker wakes up and tries to record its outcome: refused, the newer outcome stands.
        assertThat(store().finish(id, oldToken, new Transition(JobStatus.RETRYING, 1, null, "late"), TTL)).isEqualTo(JobStore.Result.REFUSED);
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(store().find(id).orElseThrow().error()).isNull();
    }

    @Test
    void finishedJob_isNotClaimedAgain() {
        String id = queuedJob();
        long token = ((Claim.Claimed) store().claim(envelope(id), 1, LONG, 5, TTL)).token();
        store().finish(id, token, new Transition(JobStatus.SUCCEEDED, 1, null, null), TTL);
        assertThat(store().claim(envelope(id), 1, LONG, 5, TTL)).isInstanceOf(Claim.Finished.class);
        assertThat(store().claim(envelope(id), 2, LONG, 5, TTL)).isInstanceOf(Claim.Finished.class);
    }

    @Test
    void handedOnAttempt_isStale_andTheNextAttemptClaims() {
        String id = queuedJob();
        long token = ((Claim.Claimed) store().claim(envelope(id), 1, LONG, 5, TTL)).token();
        store().finish(id, token, new Transition(JobStatus.RETRYING, 1, null, "HTTP 503"), TTL);
        assertThat(store().claim(envelope(id), 1, LONG, 5, TTL)).isInstanceOf(Claim.Stale.class);
        assertThat(store().claim(envelope(id), 2, LONG, 5, TTL)).isInstanceOfSatisfying(Claim.Claimed.class,
                c -> assertThat(c.deliveries()).isEqualTo(1));
    }

    @Test
    void anAttemptDeliveredTooOften_isPoison() throws Exception {
        String id = queuedJob();
        for (int i = 1; i <= 3; i++) {
            assertThat(store().claim(envelope(id), 1, Duration.ofMillis(1), 3, TTL)).as("delivery %d", i).isInstanceOf(Claim.Claimed.class);
            Thread.sleep(5);
        }
        assertThat(store().claim(envelope(id), 1, Duration.ofMillis(1), 3, TTL)).isInstanceOfSatisfying(Claim.Poison.class,
                p -> assertThat(p.deliveries()).isEqualTo(4));
    }

    @Test
    void claim_recreatesAMissingRecord_fromTheMessage() {
        String id = JobIds.newId(System.currentTimeMillis());
        assertThat(store().claim(envelope(id), 1, LONG, 5, TTL)).isInstanceOf(Claim.Claimed.class);
        JobRecord r = store().find(id).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(r.tenant()).isEqualTo("t1");
        assertThat(r.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void createIfAbsent_neverResetsAnExistingJob() {
        String id = queuedJob();
        long token = ((Claim.Claimed) store().claim(envelope(id), 1, LONG, 5, TTL)).token();
        store().finish(id, token, new Transition(JobStatus.SUCCEEDED, 1, null, null), TTL);
        Instant now = Instant.now();
        assertThat(store().createIfAbsent(new JobRecord(id, "t1", "webhook.deliver", JobStatus.QUEUED, 0, now, now, null, null), TTL)).isFalse();
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    private io.durablejobs.core.port.JobReplay replayOf(String id, int minGen) {
        return new io.durablejobs.core.port.JobReplay(id, "t1", "webhook.deliver", Instant.parse("2026-01-01T00:00:00Z"), minGen,
                id + "@2026-01-01T00:00:01Z", "tenant:t1", Instant.parse("2026-01-02T00:00:00Z"));
    }

    private String deadJob() {
        String id = queuedJob();
        long token = ((Claim.Claimed) store().claim(envelope(id), 1, LONG, 5, TTL)).token();
        store().finish(id, token, new Transition(JobStatus.DEAD_LETTERED, 1, null, "client_error: HTTP 400"), TTL);
        return id;
    }

    @Test
    void replay_resetsTheExecutionRecord_soTheJobRunsAgain_underTheSameId() {
        String id = deadJob();
        assertThat(store().claim(envelope(id), 1, LONG, 5, TTL)).isInstanceOf(Claim.Finished.class);

        assertThat(store().standing(id).orElseThrow().generation()).isZero();
        assertThat(store().replay(replayOf(id, 1), TTL)).hasValue(1);
        assertThat(store().standing(id).orElseThrow()).isEqualTo(new io.durablejobs.core.port.JobStanding(JobStatus.QUEUED, 1));
        JobRecord r = store().find(id).orElseThrow();
        assertThat(r.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(r.attempts()).isZero();
        assertThat(r.error()).isNull();
        Claim again = store().claim(envelope(id), 1, LONG, 5, TTL);
        assertThat(again).isInstanceOfSatisfying(Claim.Claimed.class, c -> assertThat(c.deliveries()).isEqualTo(1));
        assertThat(store().finish(id, ((Claim.Claimed) again).token(), new Transition(JobStatus.SUCCEEDED, 1, null, null), TTL))
                .isEqualTo(JobStore.Result.APPLIED);
    }

    @Test
    void replay_whilePending_returnsTheSameGeneration_andANotDeadJobIsRefused() {
        String id = deadJob();
        assertThat(store().replay(replayOf(id, 1), TTL)).hasValue(1);
        assertThat(store().replay(replayOf(id, 1), TTL)).as("repeated while pending").hasValue(1);
        store().claim(envelope(id), 1, LONG, 5, TTL);
        assertThat(store().replay(replayOf(id, 1), TTL)).as("running now").isEmpty();
        assertThat(store().replay(replayOf(queuedJob(), 1), TTL)).as("never dead").isEmpty();
    }

    @Test
    void replay_ofAnExpiredRecord_recreatesIt_atTheWantedGeneration() {
        String id = JobIds.newId(System.currentTimeMillis());
        assertThat(store().replay(replayOf(id, 3), TTL)).hasValue(3);
        assertThat(store().find(id).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store().claim(envelope(id), 1, LONG, 5, TTL)).isInstanceOf(Claim.Claimed.class);
    }

    @Test
    void markDeadLettered_movesAnUnfinishedJob_butNeverAFinishedOne() {
        String running = queuedJob();
        store().claim(envelope(running), 1, LONG, 5, TTL);
        assertThat(store().markDeadLettered(running, "delivery_limit: by the broker", TTL)).isEqualTo(JobStore.Result.APPLIED);
        assertThat(store().find(running).orElseThrow().status()).isEqualTo(JobStatus.DEAD_LETTERED);
        assertThat(store().find(running).orElseThrow().error()).contains("delivery_limit");
        assertThat(store().markDeadLettered(running, "again", TTL)).isEqualTo(JobStore.Result.REFUSED);

        String done = queuedJob();
        long token = ((Claim.Claimed) store().claim(envelope(done), 1, LONG, 5, TTL)).token();
        store().finish(done, token, new Transition(JobStatus.SUCCEEDED, 1, null, null), TTL);
        assertThat(store().markDeadLettered(done, "late", TTL)).isEqualTo(JobStore.Result.REFUSED);
        assertThat(store().markDeadLettered(JobIds.newId(1), "x", TTL)).isEqualTo(JobStore.Result.MISSING);
    }

    @Test
    void batchMethods_actAsTheSingleOnesInOrder_overJobsOfDifferentSlots() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        String existing = queuedJob();
        String a = JobIds.newId(now.toEpochMilli());
        String b = JobIds.newId(now.toEpochMilli());
        JobRecord ra = new JobRecord(a, "t1", "webhook.deliver", JobStatus.QUEUED, 0, now, now, null, null);
        JobRecord rb = JobRecord.scheduled(envelope(b), now, now.plusSeconds(60));
        JobRecord again = new JobRecord(existing, "t1", "webhook.deliver", JobStatus.SCHEDULED, 0, now, now, null, null);

        assertThat(store().createAllIfAbsent(java.util.List.of(ra, again, rb), java.util.List.of(TTL, TTL, TTL)).join())
                .containsExactly(true, false, true);
        var found = store().findAll(java.util.List.of(b, existing, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")).join();
        assertThat(found.get(0).orElseThrow().status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(found.get(1).orElseThrow().status()).as("an existing record is kept").isEqualTo(JobStatus.QUEUED);
        assertThat(found.get(2)).isEmpty();

        store().deleteAll(java.util.List.of(a, b)).join();
        assertThat(store().find(a)).isEmpty();
        assertThat(store().find(b)).isEmpty();
        assertThat(store().find(existing)).isPresent();
    }
}
