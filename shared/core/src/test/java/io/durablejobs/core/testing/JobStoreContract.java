package io.durablejobs.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
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
}
