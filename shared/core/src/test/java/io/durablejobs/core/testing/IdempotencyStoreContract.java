package io.durablejobs.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.port.IdempotencyClaim;
import io.durablejobs.core.port.IdempotencyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link IdempotencyStore} must do; run against the in-memory fake and against Redis. */
public abstract class IdempotencyStoreContract {
    static final Duration LEASE = Duration.ofSeconds(30);
    static final Duration TTL = Duration.ofMinutes(5);
    final Instant created = Instant.parse("2026-01-01T00:00:00.123Z");

    protected abstract IdempotencyStore store();

    static String key() {
        return "k-" + UUID.randomUUID();
    }

    IdempotencyClaim claim(String tenant, String key, String fp) {
        return store().claim(tenant, key, fp, JobIds.newId(System.currentTimeMillis()), created, LEASE, TTL);
    }

    @Test
    void firstClaim_proceeds_withTheProposedJobId() {
        String jobId = JobIds.newId(1);
        IdempotencyClaim c = store().claim("t1", key(), "fp", jobId, created, LEASE, TTL);
        assertThat(c).isInstanceOfSatisfying(IdempotencyClaim.Proceed.class, p -> {
            assertThat(p.jobId()).isEqualTo(jobId);
            assertThat(p.createdAt()).isEqualTo(created);
            assertThat(p.resumed()).isFalse();
        });
    }

    @Test
    void sameKeyWhileInProgress_isInProgress_andDifferentRequest_isMismatch() {
        String k = key();
        claim("t1", k, "fp");
        assertThat(claim("t1", k, "fp")).isInstanceOf(IdempotencyClaim.InProgress.class);
        assertThat(claim("t1", k, "other")).isInstanceOf(IdempotencyClaim.Mismatch.class);
    }

    @Test
    void completed_replaysTheStoredResponse_andStillRefusesADifferentRequest() {
        String k = key();
        var p = (IdempotencyClaim.Proceed) claim("t1", k, "fp");
        store().complete("t1", k, p.owner(), 202, "{\"jobId\":\"" + p.jobId() + "\"}", "/v1/jobs/" + p.jobId(), TTL);
        assertThat(claim("t1", k, "fp")).isInstanceOfSatisfying(IdempotencyClaim.Completed.class, c -> {
            assertThat(c.status()).isEqualTo(202);
            assertThat(c.body()).contains(p.jobId());
            assertThat(c.location()).isEqualTo("/v1/jobs/" + p.jobId());
        });
        assertThat(claim("t1", k, "other")).isInstanceOf(IdempotencyClaim.Mismatch.class);
    }

    @Test
    void released_claim_isResumed_underTheSameJobId() {
        String k = key();
        var first = (IdempotencyClaim.Proceed) claim("t1", k, "fp");
        store().release("t1", k, first.owner());
        assertThat(claim("t1", k, "fp")).isInstanceOfSatisfying(IdempotencyClaim.Proceed.class, p -> {
            assertThat(p.jobId()).isEqualTo(first.jobId());
            assertThat(p.createdAt()).isEqualTo(created);
            assertThat(p.resumed()).isTrue();
        });
    }

    @Test
    void lapsedLease_ofADeadAccepter_isResumed_underTheSameJobId() throws Exception {
        String k = key();
        var first = (IdempotencyClaim.Proceed) store().claim("t1", k, "fp", JobIds.newId(1), created, Duration.ofMillis(20), TTL);
        Thread.sleep(40);
        var second = (IdempotencyClaim.Proceed) claim("t1", k, "fp");
        assertThat(second.jobId()).isEqualTo(first.jobId());
        // The dead accepter's late completion no longer counts; the resumer's does.
        store().complete("t1", k, first.owner(), 202, "{\"from\":\"first\"}", null, TTL);
        assertThat(claim("t1", k, "fp")).isInstanceOf(IdempotencyClaim.InProgress.class);
        store().complete("t1", k, second.owner(), 202, "{\"from\":\"second\"}", null, TTL);
        assertThat(claim("t1", k, "fp")).isInstanceOfSatisfying(IdempotencyClaim.Completed.class, c -> assertThat(c.body()).contains("second"));
    }

    @Test
    void keysAreScopedByTenant() {
        String k = key();
        var a = (IdempotencyClaim.Proceed) claim("t1", k, "fp");
        var b = claim("t2", k, "fp");
        assertThat(b).isInstanceOfSatisfying(IdempotencyClaim.Proceed.class, p -> assertThat(p.jobId()).isNotEqualTo(a.jobId()));
    }

    @Test
    void claimAll_answersEachKeyInOrder_asOneClaimEach_andCompleteAllAndReleaseAll_endThem() {
        String done = key();
        String busy = key();
        String fresh = key();
        IdempotencyClaim.Proceed d = (IdempotencyClaim.Proceed) claim("t1", done, "fp");
        store().complete("t1", done, d.owner(), 202, "{\"jobId\":\"" + d.jobId() + "\"}", "/v1/jobs/" + d.jobId(), TTL);
        claim("t2", busy, "fp");
        String proposed = JobIds.newId(7);

        var answers = store().claimAll(java.util.List.of(
                new IdempotencyStore.ClaimRequest("t1", done, "fp", JobIds.newId(1), created),
                new IdempotencyStore.ClaimRequest("t2", busy, "fp", JobIds.newId(2), created),
                new IdempotencyStore.ClaimRequest("t2", busy, "other", JobIds.newId(3), created),
                new IdempotencyStore.ClaimRequest("t3", fresh, "fp", proposed, created)), LEASE, TTL).join();

        assertThat(answers).hasSize(4);
        assertThat(answers.get(0)).isInstanceOfSatisfying(IdempotencyClaim.Completed.class, c -> assertThat(c.location()).isEqualTo("/v1/jobs/" + d.jobId()));
        assertThat(answers.get(1)).isInstanceOf(IdempotencyClaim.InProgress.class);
        assertThat(answers.get(2)).isInstanceOf(IdempotencyClaim.Mismatch.class);
        IdempotencyClaim.Proceed p = (IdempotencyClaim.Proceed) answers.get(3);
        assertThat(p.jobId()).isEqualTo(proposed);

        store().releaseAll(java.util.List.of(new IdempotencyStore.Release("t3", fresh, p.owner()))).join();
        assertThat(claim("t3", fresh, "fp")).isInstanceOfSatisfying(IdempotencyClaim.Proceed.class, again -> {
            assertThat(again.jobId()).as("a released key keeps its job id").isEqualTo(proposed);
            assertThat(again.resumed()).isTrue();
            store().completeAll(java.util.List.of(new IdempotencyStore.Completion("t3", fresh, again.owner(), 202, "{}", null)), TTL).join();
        });
        assertThat(claim("t3", fresh, "fp")).isInstanceOf(IdempotencyClaim.Completed.class);
    }
}
