package io.durablejobs.adapters.breaker;

import io.durablejobs.core.breaker.BreakerConfig;
import io.durablejobs.core.breaker.BreakerState;
import io.durablejobs.core.breaker.BreakerTransition;
import io.durablejobs.core.breaker.CallResult;
import io.durablejobs.core.breaker.CircuitBreakers;
import io.durablejobs.core.breaker.Permit;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * In-process breakers (resilience4j), one per downstream, with the same settings as the shared ones.
 * Used while Redis is unreachable: each environment then protects itself on its own.
 */
public final class LocalCircuitBreakers implements CircuitBreakers {
    /** Marks permits issued here, so their results come back here. */
    static final long LOCAL_GENERATION = -1;

    private final CircuitBreakerRegistry registry;
    private final BreakerConfig config;

    public LocalCircuitBreakers(BreakerConfig config, Consumer<BreakerTransition> transitions) {
        this.config = config;
        this.registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize(config.slidingWindowSize())
                .minimumNumberOfCalls(config.minimumNumberOfCalls())
                .failureRateThreshold(config.failureRateThreshold())
                .slowCallRateThreshold(config.slowCallRateThreshold())
                .slowCallDurationThreshold(config.slowCallDurationThreshold())
                .waitDurationInOpenState(config.waitDurationInOpenState())
                .permittedNumberOfCallsInHalfOpenState(config.permittedNumberOfCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        registry.getEventPublisher().onEntryAdded(e -> e.getAddedEntry().getEventPublisher().onStateTransition(t ->
                transitions.accept(new BreakerTransition(t.getCircuitBreakerName(), map(t.getStateTransition().getFromState()),
                        map(t.getStateTransition().getToState()), LOCAL_GENERATION, "local"))));
    }

    @Override
    public Permit acquire(String name) {
        CircuitBreaker b = registry.circuitBreaker(name);
        if (b.tryAcquirePermission()) {
            return new Permit.Allowed(name, LOCAL_GENERATION, null);
        }
        return new Permit.Rejected(name, map(b.getState()), config.waitDurationInOpenState());
    }

    @Override
    public void record(Permit.Allowed permit, CallResult result) {
        CircuitBreaker b = registry.circuitBreaker(permit.breaker());
        long nanos = result.duration().toNanos();
        if (result.failed()) {
            b.onError(nanos, TimeUnit.NANOSECONDS, new CallFailed());
        } else {
            b.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    public BreakerState state(String name) {
        return map(registry.circuitBreaker(name).getState());
    }

    private static BreakerState map(CircuitBreaker.State s) {
        return switch (s) {
            case OPEN, FORCED_OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            default -> BreakerState.CLOSED;
        };
    }

    /** resilience4j records errors as throwables; a job's failure is an outcome, so this stands in. */
    private static final class CallFailed extends RuntimeException {
        CallFailed() {
            super("call failed", null, false, false);
        }
    }
}
