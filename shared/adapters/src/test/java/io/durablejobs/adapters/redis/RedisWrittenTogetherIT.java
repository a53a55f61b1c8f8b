package io.durablejobs.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.adapters.testing.RedisTarget;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.port.IdempotencyClaim;
import io.durablejobs.core.port.IdempotencyStore.ClaimRequest;
import io.durablejobs.adapters.ledger.RedisLedger;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.port.Pipelined;
import io.durablejobs.core.port.WriteGroup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A batch step's commands reach the socket in one write per node, against the real Redis, standalone and
 * cluster: a batch of 500 claims is a handful of flushes, not 500, and a step that fails half-way holds
 * nothing back.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisWrittenTogetherIT {
    @Parameter
    RedisTarget target;
    static TestServers servers;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("together", target);
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void cleanUp() throws Exception {
        servers.close();
    }

    @Test
    void aBatchOfClaims_isAFewFlushes_andEachClaimIsAnsweredAsAlone() {
        RedisIdempotencyStore store = new RedisIdempotencyStore(servers.redis().commands(), new RedisKeys(servers.namespace()));
        // A node that has not seen the script answers NOSCRIPT and each claim then goes again as EVAL on its own
        // (a fresh server, or one just restarted): a first batch loads it on every node.
        Pipelined.await(store.claimAll(claims("warm-"), Duration.ofSeconds(30), Duration.ofMinutes(5)));
        List<ClaimRequest> requests = claims("k-");
        long flushes = RedisSession.flushesSent();
        List<IdempotencyClaim> claims = Pipelined.await(store.claimAll(requests, Duration.ofSeconds(30), Duration.ofMinutes(5)));
        long used = RedisSession.flushesSent() - flushes;

        assertThat(claims).hasSize(500).allSatisfy(c -> assertThat(c).isInstanceOf(IdempotencyClaim.Proceed.class));
        for (int i = 0; i < 500; i++) {
            assertThat(((IdempotencyClaim.Proceed) claims.get(i)).jobId()).isEqualTo(requests.get(i).proposedJobId());
        }
        // A few writes per node the keys live on (three masters in the cluster; 9 flushes seen there, 1 to 2
        // standalone), where each claim once took its own: 500.
        assertThat(used).as("flushes for 500 claims").isLessThanOrEqualTo(15);
        // The same keys again: each answered as a claim already taken, in order.
        List<IdempotencyClaim> again = Pipelined.await(store.claimAll(requests, Duration.ofSeconds(30), Duration.ofMinutes(5)));
        assertThat(again).allSatisfy(c -> assertThat(c).isInstanceOf(IdempotencyClaim.InProgress.class));
    }

    @Test
    void lettucesOwnSyncApi_isBuiltOnFirstUse_onceAndOverTheSameConnection() {
        // The stores never ask for it (see RedisSync); tools and tests do, and get one proxy, not one per call.
        var first = servers.redis().lettuce();
        assertThat(first).isNotNull().isSameAs(servers.redis().lettuce());
        String key = servers.namespace() + ":lettuce-sync:{" + UUID.randomUUID() + "}";
        first.set(key, "through-lettuce");
        assertThat(servers.redis().commands().get(key)).isEqualTo("through-lettuce");
    }

    private static List<ClaimRequest> claims(String prefix) {
        List<ClaimRequest> requests = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            requests.add(new ClaimRequest("acme", prefix + i, "fp-" + i, UUID.randomUUID().toString(), Instant.now()));
        }
        return requests;
    }

    @Test
    void aStepThatFailsHalfWay_stillSendsWhatItIssued_andLeavesTheConnectionFlushingAsBefore() {
        var async = RedisAsync.of(servers.redis().commands());
        String key = servers.namespace() + ":half:{h}";
        List<CompletableFuture<Long>> issued = new ArrayList<>();
        assertThatThrownBy(() -> RedisAsync.writtenTogether(async, () -> {
            issued.add(RedisAsync.mapped(async.incrby(key, 5)));
            throw new IllegalStateException("the step's own failure");
        })).hasMessage("the step's own failure");

        assertThat(Pipelined.await(issued.get(0))).isEqualTo(5L);
        // Automatic flushing is back: a command issued alone is answered without anyone flushing for it.
        assertThat(async.incrby(key, 1).toCompletableFuture().orTimeout(2, TimeUnit.SECONDS).join()).isEqualTo(6L);
    }

    @Test
    void severalStoresCalls_inOneGroup_shareTheirWrites_andEachIsAnswered() {
        var sync = servers.redis().commands();
        RedisLedger ledger = new RedisLedger(sync, servers.namespace(), Duration.ofHours(1), Duration.ofHours(1));
        RedisJobIndex index = new RedisJobIndex(sync, servers.namespace(), Clock.systemUTC());
        WriteGroup group = RedisAsync.group(sync);
        // The scripts loaded on every node first (a node that has not seen one answers NOSCRIPT once), and the
        // tenant known to the ledger (its first job ever adds it to the set of tenants, a step of its own).
        acceptAndList(group, ledger, index, "warm");
        long alone = RedisSession.flushesSent();
        Pipelined.await(ledger.acceptedAll(List.of(new Ledger.Acceptance("t", "echo", "j-alone"))));
        Pipelined.await(index.addAll("t", List.of(new JobIndex.Entry("j-alone", Instant.now())), Duration.ofHours(1)));
        long eachOnItsOwn = RedisSession.flushesSent() - alone;

        long before = RedisSession.flushesSent();
        acceptAndList(group, ledger, index, "grouped");
        long grouped = RedisSession.flushesSent() - before;

        assertThat(eachOnItsOwn).as("the count and the listing, each its own step").isGreaterThanOrEqualTo(2);
        // One write per node the keys live on: one standalone; the tenant's slot and the index's, at most two, in a cluster.
        assertThat(grouped).as("the same calls in one group").isLessThan(eachOnItsOwn).isLessThanOrEqualTo(target == RedisTarget.STANDALONE ? 1 : 2);
        assertThat(index.page("t", null, null, null, 10)).extracting(JobIndex.Entry::jobId).contains("j-grouped", "j-alone", "j-warm");
    }

    private static void acceptAndList(WriteGroup group, RedisLedger ledger, RedisJobIndex index, String name) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        group.together(() -> {
            calls.add(ledger.acceptedAll(List.of(new Ledger.Acceptance("t", "echo", "j-" + name))));
            // A store's own step inside the group joins it rather than flushing early.
            calls.add(index.addAll("t", List.of(new JobIndex.Entry("j-" + name, Instant.now())), Duration.ofHours(1)));
        });
        calls.forEach(Pipelined::await);
    }
}
