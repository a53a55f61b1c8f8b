package io.durablejobs.adapters.redis;

import io.durablejobs.adapters.testing.RedisTarget;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.testing.JobStoreContract;
import java.time.Clock;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The job-store contract again, a worker's calls (claim, finish, standing, cancel check) going through the group-commit pipeline. */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisPipelinedJobStoreIT extends JobStoreContract {
    @Parameter
    RedisTarget target;
    static TestServers servers;
    static RedisJobStore store;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("pstore", target);
        store = new RedisJobStore(servers.redis().commands(), new RedisKeys(servers.namespace()), Clock.systemUTC(),
                servers.redis().pipeline());
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void cleanUp() throws Exception {
        servers.close();
    }

    @Override
    protected JobStore store() {
        return store;
    }
}
