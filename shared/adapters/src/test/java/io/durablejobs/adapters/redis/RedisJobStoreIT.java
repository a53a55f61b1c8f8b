package io.durablejobs.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.adapters.testing.RedisTarget;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.testing.JobStoreContract;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The job-store contract against the real Redis, plus what only Redis can show (TTL, key layout, outage). */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisJobStoreIT extends JobStoreContract {
    @Parameter
    RedisTarget target;
    static TestServers servers;
    static RedisJobStore store;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("store", target);
        store = new RedisJobStore(servers.redis().commands(), new RedisKeys(servers.namespace()), Clock.systemUTC());
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void cleanUp() throws Exception {
        servers.close();
    }

    @Override
    protected JobStore store() {
        return store;
    }

    @Test
    void everyRecord_hasATtl_andAHashTaggedKey() {
        Instant now = Instant.now();
        String id = JobIds.newId(now.toEpochMilli());
        store.create(new JobRecord(id, "t", "x", JobStatus.QUEUED, 0, now, now, null, null), TTL);
        String key = servers.namespace() + ":job:{" + id + "}";
        assertThat(servers.redis().commands().pttl(key)).isBetween(1L, TTL.toMillis());
        store.transition(id, io.durablejobs.core.port.Transition.to(JobStatus.RUNNING, 1), java.time.Duration.ofSeconds(30));
        assertThat(servers.redis().commands().pttl(key)).isBetween(1L, 30_000L);
    }
}
