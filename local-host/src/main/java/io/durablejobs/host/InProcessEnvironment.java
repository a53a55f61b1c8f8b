package io.durablejobs.host;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.durablejobs.core.config.Env;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An execution environment inside the host's JVM: one thread, one handler instance, one invocation at a time. The
 * handler is constructed through its no-arg constructor on first use, inside {@link Env#with} so it reads
 * this function's variables. An invocation past the function's timeout destroys the environment (its
 * thread is interrupted and the instance never used again), as Lambda resets a timed-out sandbox.
 */
final class InProcessEnvironment implements ExecutionEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessEnvironment.class);

    private final FunctionRuntime function;
    private final String id;
    private final ExecutorService thread;
    private final LambdaLogger lambdaLogger;
    private volatile Object instance;
    private volatile boolean dead;

    InProcessEnvironment(FunctionRuntime function, int ordinal) {
        this.function = function;
        this.id = function.spec().name() + "-" + ordinal;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "env-" + id);
            t.setDaemon(true);
            return t;
        });
        this.lambdaLogger = new Slf4jLambdaLogger(function.spec().name());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean isAlive() {
        return !dead;
    }

    @Override
    public InvocationResult invoke(byte[] eventJson, String requestId, String traceId) {
        if (dead) {
            throw new IllegalStateException("environment " + id + " was destroyed");
        }
        FunctionSpec spec = function.spec();
        long timeoutNanos = TimeUnit.SECONDS.toNanos(spec.timeoutSeconds());
        long start = System.nanoTime();
        HostContext context = new HostContext(spec, requestId, start + timeoutNanos, lambdaLogger, traceId);
        boolean[] init = {false};
        Future<byte[]> running = thread.submit(() -> Env.with(function.env(), () -> {
            if (instance == null) {
                init[0] = true;
                instance = function.handler().newInstance();
                init[0] = false;
            }
            return function.handler().invoke(instance, eventJson, context);
        }));
        try {
            return new InvocationResult.Returned(running.get(timeoutNanos, TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            running.cancel(true);
            destroy("timed out after " + spec.timeoutSeconds() + " s");
            warnIfStillRunning();
            return new InvocationResult.TimedOut(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (ExecutionException e) {
            if (init[0]) {
                // Lambda discards an environment whose init failed; the next invocation starts a new one.
                destroy("init failed");
            }
            return new InvocationResult.Failed(e.getCause(), init[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.cancel(true);
            destroy("host interrupted while waiting");
            return new InvocationResult.Failed(e, false);
        }
    }

    /**
     * Interruption is all a thread of this JVM can be asked to stop with: a handler that ignores it keeps
     * running after its environment is gone. Say so, once the interrupted thread has had a moment to end.
     */
    private void warnIfStillRunning() {
        Thread.ofVirtual().name("env-reaper-" + id).start(() -> {
            try {
                if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
                    LOG.error("execution environment {} timed out but its handler ignores interruption and keeps running in the"
                            + " host's JVM; run {} in a JVM of its own (JOBS_HOST_ISOLATION=process:{})", id,
                            function.spec().name(), function.spec().name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void destroy(String why) {
        if (!dead) {
            dead = true;
            LOG.warn("execution environment {} destroyed: {}", id, why);
        }
        instance = null;
        thread.shutdownNow();
    }

    @Override
    public void close() {
        dead = true;
        instance = null;
        thread.shutdownNow();
    }
}
