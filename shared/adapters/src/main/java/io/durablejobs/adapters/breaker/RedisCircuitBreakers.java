package io.durablejobs.adapters.breaker;

import io.durablejobs.adapters.redis.RedisSync;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.redis.RedisPipeline;
import io.durablejobs.adapters.redis.RedisScript;
import io.durablejobs.core.breaker.BreakerConfig;
import io.durablejobs.core.breaker.BreakerState;
import io.durablejobs.core.breaker.BreakerTransition;
import io.durablejobs.core.breaker.CallResult;
import io.durablejobs.core.breaker.CircuitBreakers;
import io.durablejobs.core.breaker.Permit;
import io.durablejobs.core.port.Pipelined;
import io.durablejobs.core.port.StoreUnavailableException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide circuit breakers in Redis, one per downstream, changed only by Lua scripts. Every
 * recorded result returns the breaker's state and generation, which this environment keeps; a call on
 * the closed path is then permitted from that state without a round trip, so it costs exactly one (the
 * record). A worker learns that another one opened the breaker at its next record: at most one more
 * call per environment goes out after a breaker opens. Open and half-open ask Redis.
 *
 * <p>When Redis is unreachable, an in-process resilience4j breaker takes over; the switch is logged
 * and counted, and Redis is tried again every few seconds.
 */
public final class RedisCircuitBreakers implements CircuitBreakers {
    private static final Logger LOG = LoggerFactory.getLogger(RedisCircuitBreakers.class);
    private static final RedisScript ACQUIRE = RedisScript.fromResource("/io/durablejobs/adapters/redis/breaker_acquire.lua");
    private static final RedisScript RECORD = RedisScript.fromResource("/io/durablejobs/adapters/redis/breaker_record.lua");
    /** How long a known closed state is trusted without hearing from Redis. */
    static final Duration CLOSED_STATE_TRUST = Duration.ofSeconds(10);
    static final Duration REDIS_RETRY_INTERVAL = Duration.ofSeconds(5);

    private final RedisSync redis;
    private final String namespace;
    private final BreakerConfig config;
    private final LocalCircuitBreakers fallback;
    private final Consumer<BreakerTransition> transitions;
    private final LongSupplier nanoClock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();
    private final AtomicLong fallbackSwitches = new AtomicLong();
    private final AtomicLong redisRoundTrips = new AtomicLong();
    private volatile long degradedUntilNanos;
    private final RedisPipeline pipeline;

    private record Known(BreakerState state, long generation, long atNanos) {
    }

    public RedisCircuitBreakers(RedisSync redis, String namespace, BreakerConfig config,
                                Consumer<BreakerTransition> transitions) {
        this(redis, namespace, config, transitions, System::nanoTime, null);
    }

    /**
     * @param pipeline the group-commit pipeline a worker's jobs share (their acquires and records, made
     *                 concurrently, travel together), or null to send each on the session's connection
     */
    public RedisCircuitBreakers(RedisSync redis, String namespace, BreakerConfig config,
                                Consumer<BreakerTransition> transitions, RedisPipeline pipeline) {
        this(redis, namespace, config, transitions, System::nanoTime, pipeline);
    }

    RedisCircuitBreakers(RedisSync redis, String namespace, BreakerConfig config,
                         Consumer<BreakerTransition> transitions, LongSupplier nanoClock) {
        this(redis, namespace, config, transitions, nanoClock, null);
    }

    private RedisCircuitBreakers(RedisSync redis, String namespace, BreakerConfig config,
                                 Consumer<BreakerTransition> transitions, LongSupplier nanoClock, RedisPipeline pipeline) {
        this.pipeline = pipeline;
        this.redis = redis;
        this.namespace = namespace;
        this.config = config;
        this.transitions = transitions;
        this.fallback = new LocalCircuitBreakers(config, transitions);
        this.nanoClock = nanoClock;
    }

    @Override
    public Permit acquire(String name) {
        if (degraded()) {
            return fallback.acquire(name);
        }
        Known k = known.get(name);
        if (k != null && k.state == BreakerState.CLOSED && nanoClock.getAsLong() - k.atNanos < CLOSED_STATE_TRUST.toNanos()) {
            return new Permit.Allowed(name, k.generation, null);
        }
        String probeId = UUID.randomUUID().toString();
        List<Object> r;
        try {
            redisRoundTrips.incrementAndGet();
            r = script(ACQUIRE, keys(name), Long.toString(config.waitDurationInOpenState().toMillis()),
                    Integer.toString(config.permittedNumberOfCallsInHalfOpenState()), Long.toString(config.halfOpenProbeLease().toMillis()),
                    probeId, Long.toString(stateTtl().toMillis()));
        } catch (RedisException | StoreUnavailableException e) {
            degrade(e);
            return fallback.acquire(name);
        }
        String verdict = String.valueOf(r.get(0));
        BreakerState state = BreakerState.parse(String.valueOf(r.get(1)));
        long gen = ((Number) r.get(2)).longValue();
        emit(name, String.valueOf(r.get(4)), gen);
        known.put(name, new Known(state, gen, nanoClock.getAsLong()));
        if (verdict.equals("rejected")) {
            return new Permit.Rejected(name, state, Duration.ofMillis(((Number) r.get(3)).longValue()));
        }
        return new Permit.Allowed(name, gen, state == BreakerState.HALF_OPEN ? probeId : null);
    }

    @Override
    public void record(Permit.Allowed permit, CallResult result) {
        if (permit.generation() == LocalCircuitBreakers.LOCAL_GENERATION) {
            fallback.record(permit, result);
            return;
        }
        boolean slow = result.duration().compareTo(config.slowCallDurationThreshold()) >= 0;
        List<Object> r;
        try {
            redisRoundTrips.incrementAndGet();
            r = script(RECORD, keys(permit.breaker()), Long.toString(permit.generation()),
                    result.failed() ? "1" : "0", slow ? "1" : "0", permit.probeId() == null ? "" : permit.probeId(),
                    Float.toString(config.failureRateThreshold()), Float.toString(config.slowCallRateThreshold()),
                    Integer.toString(config.minimumNumberOfCalls()), Integer.toString(config.slidingWindowSize()),
                    Integer.toString(config.permittedNumberOfCallsInHalfOpenState()), Long.toString(stateTtl().toMillis()));
        } catch (RedisException | StoreUnavailableException e) {
            degrade(e);
            fallback.record(new Permit.Allowed(permit.breaker(), LocalCircuitBreakers.LOCAL_GENERATION, null), result);
            return;
        }
        BreakerState state = BreakerState.parse(String.valueOf(r.get(0)));
        long gen = ((Number) r.get(1)).longValue();
        emit(permit.breaker(), String.valueOf(r.get(2)), gen);
        known.put(permit.breaker(), new Known(state, gen, nanoClock.getAsLong()));
    }

    /** How often this environment fell back to local breakers (a metric). */
    public long fallbackSwitches() {
        return fallbackSwitches.get();
    }

    /** Calls to Redis so far, a round trip each unless they went through the pipeline (the benchmark reports them per job). */
    public long redisRoundTrips() {
        return redisRoundTrips.get();
    }

    private boolean degraded() {
        return degradedUntilNanos != 0 && nanoClock.getAsLong() < degradedUntilNanos;
    }

    private List<Object> script(RedisScript script, String[] keys, String... args) {
        if (pipeline != null) {
            return Pipelined.await(pipeline.script(script, ScriptOutputType.MULTI, keys, args));
        }
        return script.run(redis, ScriptOutputType.MULTI, keys, args);
    }

    private void degrade(RuntimeException e) {
        if (!degraded()) {
            long n = fallbackSwitches.incrementAndGet();
            LOG.warn("circuit breakers: Redis unreachable, using in-process breakers for {} (switch #{}): {}",
                    REDIS_RETRY_INTERVAL, n, e.getMessage());
        }
        degradedUntilNanos = nanoClock.getAsLong() + REDIS_RETRY_INTERVAL.toNanos();
        known.clear();
    }

    private void emit(String name, String transition, long gen) {
        if (transition == null || transition.isEmpty()) {
            return;
        }
        String[] fromTo = transition.split(">");
        BreakerTransition t = new BreakerTransition(name, BreakerState.parse(fromTo[0]), BreakerState.parse(fromTo[1]), gen, "redis");
        LOG.info("circuit breaker {} {} -> {} (generation {})", name, t.from().wire(), t.to().wire(), gen);
        transitions.accept(t);
    }

    private String[] keys(String name) {
        RedisKeys keys = new RedisKeys(namespace);
        return new String[] {keys.breakerState(name), keys.breakerWindow(name)};
    }

    private Duration stateTtl() {
        long base = Math.max(config.slidingWindowSize() * 1000L, config.waitDurationInOpenState().toMillis());
        return Duration.ofMillis(base * 2 + 60_000);
    }
}
