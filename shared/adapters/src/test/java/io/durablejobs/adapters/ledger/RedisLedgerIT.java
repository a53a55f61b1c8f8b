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
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The ledger against the real Redis: each count lands once, however often and however concurrently it is repeated. */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisLedgerIT {
    @Parameter
    RedisTarget target;
    static TestServers servers;
    static RedisLedger ledger;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("ledger", target);
        ledger = new RedisLedger(servers.redis().commands(), servers.namespace(), Duration.ofMinutes(5), Duration.ofMinutes(10));
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void cleanUp() throws Exception {
        servers.close();
    }

    @Test
    void repeatedCounts_landOnce_andTheLedgerBalances() throws Exception {
        var pool = Executors.newFixedThreadPool(8);
        List<Callable<Void>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String job = "job-" + i;
            for (int copy = 0; copy < 4; copy++) {
                calls.add(() -> {
                    ledger.accepted("acme", i2type(job), job);
                    return null;
                });
            }
        }
        for (var f : pool.invokeAll(calls)) {
            f.get();
        }
        calls.clear();
        for (int i = 0; i < 20; i++) {
            String job = "job-" + i;
            JobStatus outcome = i < 15 ? JobStatus.SUCCEEDED : JobStatus.DEAD_LETTERED;
            for (int copy = 0; copy < 4; copy++) {
                calls.add(() -> {
                    ledger.finished("acme", i2type(job), job, 0, outcome);
                    return null;
                });
            }
        }
        for (var f : pool.invokeAll(calls)) {
            f.get();
        }
        pool.shutdown();
        LedgerCounts c = ledger.read("acme");
        assertThat(c.accepted()).isEqualTo(20);
        assertThat(c.succeeded()).isEqualTo(15);
        assertThat(c.deadLettered()).isEqualTo(5);
        assertThat(c.inFlight()).isZero();
        assertThat(c.balanced()).isTrue();
        assertThat(c.byType()).containsOnlyKeys("a.type", "b.type");
        assertThat(c.byType().get("a.type").accepted() + c.byType().get("b.type").accepted()).isEqualTo(20);
        assertThat(ledger.tenants()).containsExactly("acme");

        // A replay moves the job back in flight once per generation; its second end counts again.
        ledger.reopened("acme", "a.type", "job-16", 1);
        ledger.reopened("acme", "a.type", "job-16", 1);
        assertThat(ledger.read("acme").inFlight()).isEqualTo(1);
        assertThat(ledger.read("acme").deadLettered()).isEqualTo(4);
        ledger.finished("acme", "a.type", "job-16", 1, JobStatus.SUCCEEDED);
        ledger.finished("acme", "a.type", "job-16", 1, JobStatus.SUCCEEDED);
        LedgerCounts after = ledger.read("acme");
        assertThat(after.succeeded()).isEqualTo(16);
        assertThat(after.inFlight()).isZero();
        assertThat(after.balanced()).isTrue();
        assertThat(ledger.read("nobody")).isEqualTo(LedgerCounts.ZERO);

        // A cancelled job is a final state too, counted once, and never as well as another end.
        ledger.accepted("acme", "a.type", "job-c");
        ledger.finished("acme", "a.type", "job-c", 0, JobStatus.CANCELLED);
        ledger.finished("acme", "a.type", "job-c", 0, JobStatus.CANCELLED);
        ledger.finished("acme", "a.type", "job-c", 0, JobStatus.SUCCEEDED);
        LedgerCounts withCancel = ledger.read("acme");
        assertThat(withCancel.cancelled()).isEqualTo(1);
        assertThat(withCancel.succeeded()).isEqualTo(16);
        assertThat(withCancel.byType().get("a.type").cancelled()).isEqualTo(1);
        assertThat(withCancel.balanced()).isTrue();
    }

    private static String i2type(String job) {
        return Integer.parseInt(job.substring(4)) % 2 == 0 ? "a.type" : "b.type";
    }
}
