package io.durablejobs.core.testing;

import io.durablejobs.core.breaker.BreakerState;
import io.durablejobs.core.breaker.CallResult;
import io.durablejobs.core.breaker.CircuitBreakers;
import io.durablejobs.core.breaker.Permit;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Breakers a test opens by name; records every result it is given. */
public final class ScriptedBreakers implements CircuitBreakers {
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final List<CallResult> results = new CopyOnWriteArrayList<>();
    private volatile Duration openFor = Duration.ofSeconds(30);

    public void open(String breaker, Duration remaining) {
        open.add(breaker);
        openFor = remaining;
    }

    @Override
    public Permit acquire(String breaker) {
        return open.contains(breaker) ? new Permit.Rejected(breaker, BreakerState.OPEN, openFor) : new Permit.Allowed(breaker, 1, null);
    }

    @Override
    public void record(Permit.Allowed permit, CallResult result) {
        results.add(result);
    }

    public List<CallResult> results() {
        return results;
    }
}
