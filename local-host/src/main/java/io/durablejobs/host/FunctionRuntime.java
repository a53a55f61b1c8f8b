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
    private final boolean ownProcess;
    private final AtomicInteger environments = new AtomicInteger();

    public FunctionRuntime(FunctionSpec spec, HandlerMethod handler, Map<String, String> env) {
        this(spec, handler, env, false);
    }

    /** {@code ownProcess}: each environment a JVM running the runtime interface client ({@code JOBS_HOST_ISOLATION}). */
    public FunctionRuntime(FunctionSpec spec, HandlerMethod handler, Map<String, String> env, boolean ownProcess) {
        this.spec = spec;
        this.handler = handler;
        this.env = Map.copyOf(env);
        this.ownProcess = ownProcess;
    }

    public boolean ownProcess() {
        return ownProcess;
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
        int n = environments.incrementAndGet();
        return ownProcess ? new ProcessEnvironment(this, n) : new InProcessEnvironment(this, n);
    }

    /** How many environments were ever created: a timed-out environment is replaced, never reused. */
    public int environmentsCreated() {
        return environments.get();
    }
}
