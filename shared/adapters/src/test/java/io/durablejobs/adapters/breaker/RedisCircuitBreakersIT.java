package io.durablejobs.adapters.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.adapters.testing.RedisTarget;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.adapters.testing.ThrowawayRedis;
import io.durablejobs.core.breaker.BreakerConfig;
import io.durablejobs.core.breaker.BreakerState;
import io.durablejobs.core.breaker.BreakerTransition;
import io.durablejobs.core.breaker.CallResult;
import io.durablejobs.core.breaker.Permit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two environments (each its own Redis connection and local cache, as two worker processes) share one
 * breaker through the real Redis; one calls on its connection, the other through its pipeline.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(RedisTarget.class)
class RedisCircuitBreakersIT {
    @Parameter
    RedisTarget target;
    static final BreakerConfig CONFIG = new BreakerConfig(50, 100, Duration.ofSeconds(5), 4, 10,
            Duration.ofMillis(300), 2, Duration.ofMillis(400));
    static final CallResult OK = new CallResult(false, Duration.ofMillis(5));
    static final CallResult FAIL = new CallResult(true, Duration.ofMillis(5));

    static TestServers servers;
    static RedisSession second;
    static final List<BreakerTransition> events = new CopyOnWriteArrayList<>();
    static RedisCircuitBreakers a;
    static RedisCircuitBreakers b;

    @BeforeParameterizedClassInvocation
    static void connect(RedisTarget target) throws Exception {
        servers = new TestServers("breaker", target);
        second = target.open();
        a = new RedisCircuitBreakers(servers.redis().commands(), servers.namespace(), CONFIG, events::add);
        // The second environment sends its calls through its session's group-commit pipeline, as a worker does.
        b = new RedisCircuitBreakers(second.commands(), servers.namespace(), CONFIG, events::add, second.pipeline());
    }

    @AfterParameterizedClassInvocation(injectArguments = false)
    static void close() throws Exception {
        second.close();
        servers.close();
    }

    static String name() {
        return "webhook:" + UUID.randomUUID() + ".example";
    }

    static void fail(RedisCircuitBreakers env, String breaker, int times) {
        for (int i = 0; i < times; i++) {
            Permit p = env.acquire(breaker);
            if (p instanceof Permit.Allowed allowed) {
                env.record(allowed, FAIL);
            }
        }
    }

    @Test
    void failuresSeenByOne_openItForBoth() {
        String n = name();
        fail(a, n, 4);
        assertThat(b.acquire(n)).isInstanceOfSatisfying(Permit.Rejected.class, r -> {
            assertThat(r.state()).isEqualTo(BreakerState.OPEN);
            assertThat(r.retryAfter()).isBetween(Duration.ofMillis(1), Duration.ofMillis(300));
        });
        assertThat(a.acquire(n)).isInstanceOf(Permit.Rejected.class);
        assertThat(events).anyMatch(e -> e.breaker().equals(n) && e.to() == BreakerState.OPEN && e.source().equals("redis"));
    }

    @Test
    void belowMinimumCalls_orBelowTheThreshold_staysClosed() {
        String n = name();
        fail(a, n, 3);
        assertThat(b.acquire(n)).isInstanceOf(Permit.Allowed.class);
        String m = name();
        for (int i = 0; i < 6; i++) {
            a.record((Permit.Allowed) a.acquire(m), OK);
        }
        fail(b, m, 5); // 5 of 11 = 45 % < 50 %
        assertThat(a.acquire(m)).isInstanceOf(Permit.Allowed.class);
    }

    @Test
    void halfOpen_admitsOnlyThePermittedProbes_acrossBoth_thenCloses() throws Exception {
        String n = name();
        fail(a, n, 4);
        Thread.sleep(350);
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            permits.add(a.acquire(n));
            permits.add(b.acquire(n));
        }
        List<Permit.Allowed> probes = permits.stream().filter(p -> p instanceof Permit.Allowed).map(p -> (Permit.Allowed) p).toList();
        assertThat(probes).hasSize(2);
        assertThat(probes).allSatisfy(p -> assertThat(p.probeId()).isNotNull());
        for (Permit.Allowed p : probes) {
            (p == probes.get(0) ? a : b).record(p, OK);
        }
        assertThat(a.acquire(n)).isInstanceOf(Permit.Allowed.class);
        assertThat(events).anyMatch(e -> e.breaker().equals(n) && e.from() == BreakerState.HALF_OPEN && e.to() == BreakerState.CLOSED);
    }

    @Test
    void aFailedProbe_opensItAgain() throws Exception {
        String n = name();
        fail(a, n, 4);
        Thread.sleep(350);
        Permit.Allowed p1 = (Permit.Allowed) a.acquire(n);
        Permit.Allowed p2 = (Permit.Allowed) b.acquire(n);
        a.record(p1, FAIL);
        b.record(p2, FAIL);
        assertThat(a.acquire(n)).isInstanceOfSatisfying(Permit.Rejected.class, r -> assertThat(r.state()).isEqualTo(BreakerState.OPEN));
    }

    @Test
    void aProbeThatDies_freesItsSlotWhenItsLeaseEnds() throws Exception {
        String n = name();
        fail(a, n, 4);
        Thread.sleep(350);
        assertThat(a.acquire(n)).isInstanceOf(Permit.Allowed.class); // never recorded: its worker "died"
        assertThat(b.acquire(n)).isInstanceOf(Permit.Allowed.class); // never recorded either
        assertThat(b.acquire(n)).isInstanceOf(Permit.Rejected.class);
        await().atMost(Duration.ofSeconds(3)).until(() -> b.acquire(n) instanceof Permit.Allowed);
    }

    @Test
    void aLateResultFromAnOlderGeneration_isIgnored() {
        String n = name();
        Permit.Allowed old = (Permit.Allowed) a.acquire(n); // issued while closed
        fail(b, n, 4);                                      // opens: a new generation
        a.record(old, OK);                                   // the late success must not count
        a.record(old, OK);
        assertThat(b.acquire(n)).isInstanceOfSatisfying(Permit.Rejected.class, r -> assertThat(r.state()).isEqualTo(BreakerState.OPEN));
    }

    @Test
    void closedPath_costsOneRoundTripPerCall() {
        String n = name();
        a.record((Permit.Allowed) a.acquire(n), OK); // first call: learns the state (acquire + record)
        long before = a.redisRoundTrips();
        for (int i = 0; i < 50; i++) {
            a.record((Permit.Allowed) a.acquire(n), OK);
        }
        assertThat(a.redisRoundTrips() - before).isEqualTo(50);
    }

    @Test
    void redisStopped_fallsBackToLocalBreakers_andRecoversWhenItReturns() throws Exception {
        // The outage is staged on a throwaway standalone server; the cluster run would only repeat it.
        org.junit.jupiter.api.Assumptions.assumeTrue(target == RedisTarget.STANDALONE, "outage staged once, on standalone Redis");
        try (ThrowawayRedis redis = new ThrowawayRedis()) {
            try (RedisSession s = RedisSession.open(redis.uri(), false, Duration.ofMillis(500))) {
                RedisCircuitBreakers env = new RedisCircuitBreakers(s.commands(), "it-fallback", CONFIG, events::add);
                String n = name();
                env.record((Permit.Allowed) env.acquire(n), OK);
                redis.stop();
                // The next call is still permitted from the known closed state (no round trip); recording it
                // finds Redis gone and switches to the in-process breaker, logged and counted.
                Permit first = env.acquire(n);
                assertThat(first).isInstanceOf(Permit.Allowed.class);
                env.record((Permit.Allowed) first, FAIL);
                assertThat(env.fallbackSwitches()).isEqualTo(1);
                // Calls keep flowing through the in-process breaker, which trips on its own failures.
                Permit local = env.acquire(n);
                assertThat(local).isInstanceOfSatisfying(Permit.Allowed.class, p -> assertThat(p.generation()).isEqualTo(-1));
                env.record((Permit.Allowed) local, FAIL);
                fail(env, n, 2);
                assertThat(env.acquire(n)).isInstanceOf(Permit.Rejected.class);
                assertThat(events).anyMatch(e -> e.breaker().equals(n) && e.source().equals("local") && e.to() == BreakerState.OPEN);
                redis.start();
                // Lettuce reconnects by itself; after the retry interval the shared breaker (closed) is used again.
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    Permit p = env.acquire(n);
                    return p instanceof Permit.Allowed a2 && a2.generation() >= 0;
                });
            }
        }
    }
}
