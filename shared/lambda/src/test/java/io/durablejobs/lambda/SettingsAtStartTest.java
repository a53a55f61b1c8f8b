package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.config.ConfigException;
import io.durablejobs.core.config.Env;
import io.durablejobs.lambda.testing.OtherJobType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Each function's deployed constructor reads every setting it has, the platform's and its own, and stops
 * with one {@link ConfigException} naming every bad one, before it connects: the broker here is a port
 * nothing listens on, so a start that got as far as connecting would fail with a connection error instead.
 */
class SettingsAtStartTest {
    /** Nothing listens on port 1: reaching the connection would be a different failure. */
    private static final String NOWHERE = "amqp://guest:guest@127.0.0.1:1/%2f";

    static class OtherWorker extends WorkerFunction {
        OtherWorker() {
            super("test.other");
        }
    }

    static class MissingTypeWorker extends WorkerFunction {
        MissingTypeWorker() {
            super("no.such.type");
        }
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("JOBS_RABBITMQ_URI", NOWHERE);
        env.put("JOBS_REDIS_URI", "redis://127.0.0.1:1");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static List<String> problemsOf(Map<String, String> env, Callable<?> start) {
        try {
            Env.with(env, start);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("invalid configuration: ").contains(String.join("; ", e.problems()));
            return e.problems();
        } catch (Exception e) {
            throw new AssertionError("expected one ConfigException, got " + e, e);
        }
        throw new AssertionError("the function started with bad settings");
    }

    @Test
    void theSubmitFunction_namesEveryBadSetting_platformAndItsOwn_inOneMessage() {
        List<String> problems = problemsOf(env(
                "JOBS_NAMESPACE", "Bad Name!",
                "JOBS_LEDGER_TTL", "bogus",
                "JOBS_METRICS_PUSH", "nowhere",
                "JOBS_TRACING", "loud",
                "JOBS_RATE_TENANT_PER_SECOND", "-1",
                "JOBS_MAX_DELAY", "999d",
                "JOBS_SCHEDULER_BATCH", "0"), SubmitFunction::new);
        assertThat(problems).hasSize(7);
        assertThat(String.join("\n", problems)).contains("JOBS_NAMESPACE", "JOBS_LEDGER_TTL=bogus", "JOBS_METRICS_PUSH=nowhere",
                "JOBS_TRACING=loud", "JOBS_RATE_TENANT_PER_SECOND=-1", "JOBS_MAX_DELAY", "JOBS_SCHEDULER_BATCH=0");
    }

    @Test
    void theStoreApiFunction_namesItsOwnBadSettings_besideThePlatforms() {
        List<String> problems = problemsOf(env(
                "JOBS_LEDGER_TTL", "bogus",
                "JOBS_DLQ_BULK_REPLAY_MAX", "0",
                "JOBS_DLQ_BULK_REPLAY_INTERVAL", "often",
                "JOBS_BLOB_MAX_UPLOAD_BYTES", "0"), StoreApiFunction::new);
        assertThat(problems).hasSize(4);
        assertThat(String.join("\n", problems)).contains("JOBS_LEDGER_TTL=bogus", "JOBS_DLQ_BULK_REPLAY_MAX=0",
                "JOBS_DLQ_BULK_REPLAY_INTERVAL=often", "JOBS_BLOB_MAX_UPLOAD_BYTES=0");
    }

    @Test
    void aWorker_namesItsJobTypesBadSettings_besideItsOwnAndThePlatforms() {
        int closes = OtherJobType.CLOSES.get();
        List<String> problems = problemsOf(env(
                "JOBS_LEDGER_TTL", "bogus",
                "JOBS_WORKER_CONCURRENCY", "0",
                "JOBS_BREAKER_FAILURE_RATE_THRESHOLD", "0",
                "JOBS_COMPLETION_EVENTS", "maybe",
                "TEST_OTHER_LIMIT", "99"), OtherWorker::new);
        assertThat(problems).hasSize(5);
        assertThat(String.join("\n", problems)).contains("JOBS_LEDGER_TTL=bogus", "JOBS_WORKER_CONCURRENCY=0", "JOBS_BREAKER_",
                "JOBS_COMPLETION_EVENTS=maybe", "TEST_OTHER_LIMIT=99");
        assertThat(OtherJobType.CLOSES.get()).as("the type never started, so nothing to close").isEqualTo(closes);
    }

    @Test
    void aWorkerWhoseTypeStarted_closesItAgain_whenOtherSettingsStopTheStart() {
        int starts = OtherJobType.STARTS.get();
        int closes = OtherJobType.CLOSES.get();
        assertThat(problemsOf(env("JOBS_STATUS_TTL", "forever"), OtherWorker::new)).singleElement().asString()
                .startsWith("JOBS_STATUS_TTL=forever");
        assertThat(OtherJobType.STARTS.get()).isEqualTo(starts + 1);
        assertThat(OtherJobType.CLOSES.get()).isEqualTo(closes + 1);
    }

    @Test
    void aWorkerOfATypeNotOnTheClasspath_saysSo_withTheOtherProblems() {
        List<String> problems = problemsOf(env("JOBS_QUEUE_TYPE", "quorom"), MissingTypeWorker::new);
        assertThat(problems).hasSize(2);
        assertThat(String.join("\n", problems)).contains("JOBS_QUEUE_TYPE=quorom", "job type no.such.type is not on the classpath");
    }

    @Test
    void theDeadLetterConsumer_andTheScheduler_checkTheirOwnSettingsWithThePlatforms() {
        assertThat(problemsOf(env("JOBS_LEDGER_MISMATCH_GRACE", "later", "JOBS_LEDGER_TTL", "bogus"), DeadLetterFunction::new))
                .hasSize(2).anySatisfy(p -> assertThat(p).startsWith("JOBS_LEDGER_MISMATCH_GRACE=later"))
                .anySatisfy(p -> assertThat(p).startsWith("JOBS_LEDGER_TTL=bogus"));
        assertThat(problemsOf(env("JOBS_SCHEDULE_MISSED_GRACE", "late", "JOBS_IDEMPOTENCY_TTL", "long"), SchedulerFunction::new))
                .hasSize(2).anySatisfy(p -> assertThat(p).startsWith("JOBS_SCHEDULE_MISSED_GRACE=late"))
                .anySatisfy(p -> assertThat(p).startsWith("JOBS_IDEMPOTENCY_TTL=long"));
    }

    @Test
    void everySettingsRecord_hasDefaults_thatReadingAnEmptyEnvironmentGives() {
        assertThat(SubmitSettings.DEFAULTS).isEqualTo(SubmitSettings.from(Map.of()));
        assertThat(StoreApiSettings.DEFAULTS).isEqualTo(StoreApiSettings.from(Map.of()));
        assertThat(StoreApiSettings.DEFAULTS.bulkReplayInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(StoreApiSettings.DEFAULTS.bulkReplayMax()).isEqualTo(1000);
        assertThat(WorkerSettings.DEFAULTS).isEqualTo(WorkerSettings.from(Map.of()));
        assertThat(WorkerSettings.DEFAULTS.completionEvents()).isTrue();
        assertThat(DeadLetterSettings.DEFAULTS).isEqualTo(new DeadLetterSettings(Duration.ofMinutes(10), List.of()));
        assertThat(TelemetrySettings.DEFAULTS).isEqualTo(TelemetrySettings.from(Map.of()));
        assertThat(DeadLetterSettings.from(Map.of("JOBS_QUEUE_DEPTH_TYPES", " a.b, ,c.d ")).queueDepthTypes()).containsExactly("a.b", "c.d");
    }
}
