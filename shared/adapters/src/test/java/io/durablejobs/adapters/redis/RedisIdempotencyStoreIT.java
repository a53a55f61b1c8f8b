package io.durablejobs.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.adapters.testing.RedisTarget;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.port.IdempotencyStore;
import io.durablejobs.core.testing.IdempotencyStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisIdempotencyStoreIT extends IdempotencyStoreContract {
    @Parameter
    RedisTarget target;
    static TestServers servers;
    static RedisIdempotencyStore store;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("idem", target);
        store = new RedisIdempotencyStore(servers.redis().commands(), new RedisKeys(servers.namespace()));
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void cleanUp() throws Exception {
        servers.close();
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }

    @Test
    void records_expire_andKeysAreHashedAndTenantTagged() {
        store().claim("acme", "any {weird} key: ok", "fp", io.durablejobs.core.job.JobIds.newId(1), java.time.Instant.now(),
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(60));
        var keys = servers.redis().commands().keys(servers.namespace() + ":idem:{acme:*}");
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0)).doesNotContain("weird");
        assertThat(servers.redis().commands().pttl(keys.get(0))).isBetween(1L, 60_000L);
    }
}
