package io.durablejobs.host;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deployed function: its spec, its resolved handler and the environment variables Lambda would give
 * it. It creates execution environments; the triggers decide how many and when.
 */
public final class FunctionRuntime {
    private final FunctionSpec spec;
    private final HandlerMethod handler;
    private final Map<String, String> env;
    private final AtomicInteger environments = new AtomicInteger();

    public FunctionRuntime(FunctionSpec spec, HandlerMethod handler, Map<String, String> env) {
        this.spec = spec;
        this.handler = handler;
        this.env = Map.copyOf(env);
    }

    public FunctionSpec spec() {
        return spec;
    }

    public HandlerMethod handler() {
        return handler;
    }

    public Map<String, String> env() {
        return env;
    }

    /** A fresh environment; its handler is constructed on the first invocation (the init phase). */
    public ExecutionEnvironment newEnvironment() {
        return new ExecutionEnvironment(this, environments.incrementAndGet());
    }

    /** How many environments were ever created: a timed-out environment is replaced, never reused. */
    public int environmentsCreated() {
        return environments.get();
    }
}
