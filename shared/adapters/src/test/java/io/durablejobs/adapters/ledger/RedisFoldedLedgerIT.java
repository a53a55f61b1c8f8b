package io.durablejobs.adapters.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.adapters.testing.RedisTarget;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.ledger.LedgerCounts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A worker's final counts through the group-commit pipeline, where one tenant's counts meeting in a flush
 * fold into one script call: still exactly once per job and generation, repeated by redeliveries, by
 * concurrent copies and by the unfolded path (a count may be repeated through either).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisFoldedLedgerIT {
    @Parameter
    RedisTarget target;
    static TestServers servers;
    static RedisLedger folded;
    static RedisLedger plain;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("fledger", target);
        folded = new RedisLedger(servers.redis().commands(), servers.namespace(), Duration.ofMinutes(5), Duration.ofMinutes(10),
                servers.redis().pipeline());
        plain = new RedisLedger(servers.redis().commands(), servers.namespace(), Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void cleanUp() throws Exception {
        servers.close();
    }

    @Test
    void repeatedAndConcurrentFinalCounts_landOnce_perTenantAndType() throws Exception {
        int jobs = 400;
        for (String tenant : List.of("acme", "globex")) {
            List<io.durablejobs.core.ledger.Ledger.Acceptance> acc = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                acc.add(new io.durablejobs.core.ledger.Ledger.Acceptance(tenant, type(i), "job-" + i));
            }
            plain.acceptedAll(acc).join();
        }
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Callable<Void>> calls = new ArrayList<>();
        for (String tenant : List.of("acme", "globex")) {
            for (int i = 0; i < jobs; i++) {
                String job = "job-" + i;
                JobStatus outcome = i % 10 == 0 ? JobStatus.DEAD_LETTERED : i % 10 == 1 ? JobStatus.CANCELLED : JobStatus.SUCCEEDED;
                String type = type(i);
                for (int copy = 0; copy < 3; copy++) {
                    // A copy through the unfolded path now and then: the markers are the same, so it counts once either way.
                    RedisLedger via = copy == 2 && i % 7 == 0 ? plain : folded;
                    calls.add(() -> {
                        via.finished(tenant, type, job, 0, outcome);
                        return null;
                    });
                }
                // A count of a later generation is another count (a replayed job ending again).
                if (i % 50 == 0) {
                    calls.add(() -> {
                        folded.finished(tenant, type, job, 1, JobStatus.SUCCEEDED);
                        return null;
                    });
                }
            }
        }
        java.util.Collections.shuffle(calls, new java.util.Random(11));
        for (var f : pool.invokeAll(calls)) {
            f.get();
        }
        pool.shutdown();
        for (String tenant : List.of("acme", "globex")) {
            LedgerCounts c = folded.read(tenant);
            assertThat(c.accepted()).isEqualTo(jobs);
            assertThat(c.deadLettered()).isEqualTo(jobs / 10);
            assertThat(c.cancelled()).isEqualTo(jobs / 10);
            // generation 1 of every 50th job ended too, without a reopening: in_flight goes below zero by as many
            assertThat(c.succeeded()).isEqualTo(jobs - 2 * jobs / 10 + jobs / 50);
            assertThat(c.inFlight()).isEqualTo(-(jobs / 50));
            assertThat(c.byType().get("a.type").accepted() + c.byType().get("b.type").accepted()).isEqualTo(jobs);
            assertThat(c.byType().get("a.type").succeeded() + c.byType().get("b.type").succeeded()).isEqualTo(c.succeeded());
            assertThat(c.byType().get("a.type").inFlight() + c.byType().get("b.type").inFlight()).isEqualTo(c.inFlight());
        }
    }

    @Test
    void aReopenedJob_endsAgainOnce_throughTheFold() {
        plain.accepted("initech", "a.type", "j1");
        folded.finished("initech", "a.type", "j1", 0, JobStatus.DEAD_LETTERED);
        plain.reopened("initech", "a.type", "j1", 1);
        folded.finished("initech", "a.type", "j1", 1, JobStatus.SUCCEEDED);
        folded.finished("initech", "a.type", "j1", 1, JobStatus.SUCCEEDED);
        plain.finished("initech", "a.type", "j1", 1, JobStatus.SUCCEEDED);
        LedgerCounts c = folded.read("initech");
        assertThat(c.accepted()).isEqualTo(1);
        assertThat(c.succeeded()).isEqualTo(1);
        assertThat(c.deadLettered()).isZero();
        assertThat(c.inFlight()).isZero();
        assertThat(c.balanced()).isTrue();
    }

    private static String type(int i) {
        return i % 2 == 0 ? "a.type" : "b.type";
    }
}
