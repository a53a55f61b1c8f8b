package io.durablejobs.host;

import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lambda's concurrency for a synchronously invoked function: environments are created lazily, each
 * serves one request at a time, at most {@code max} exist, and a request that finds none free within
 * the wait (none by default) is throttled.
 */
final class EnvironmentPool implements AutoCloseable {
    private final FunctionRuntime function;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<ExecutionEnvironment> idle = new ConcurrentLinkedDeque<>();

    EnvironmentPool(FunctionRuntime function, int max) {
        this.function = function;
        this.permits = new Semaphore(max, true);
    }

    /**
     * A free environment (most recently used first, so warm ones stay warm), or empty when throttled. With
     * no wait, a request past the concurrency is refused at once, as Lambda refuses a synchronous invoke
     * past its concurrency instead of queueing it.
     */
    Optional<ExecutionEnvironment> acquire(long waitMillis) throws InterruptedException {
        boolean got = waitMillis <= 0 ? permits.tryAcquire() : permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        if (!got) {
            return Optional.empty();
        }
        ExecutionEnvironment env = idle.pollFirst();
        return Optional.of(env != null ? env : function.newEnvironment());
    }

    void release(ExecutionEnvironment env) {
        if (env.isAlive()) {
            idle.addFirst(env);
        }
        permits.release();
    }

    @Override
    public void close() {
        ExecutionEnvironment env;
        while ((env = idle.pollFirst()) != null) {
            env.close();
        }
    }
}
