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
 * An execution environment inside the host's JVM: one handler instance, one invocation at a time. The
 * handler is constructed through its no-arg constructor on first use, inside {@link Env#with} so it reads
 * this function's variables. An invocation past the function's timeout destroys the environment (its
 * thread is interrupted and the instance never used again), as Lambda resets a timed-out sandbox.
 *
 * <p>Two ways to run an invocation. A queue or schedule function's environment has a thread of its own and
 * its caller waits for it, so a handler that ignores interruption past its timeout cannot hold up the poller
 * that called it. An API environment ({@code callersThread}) runs the handler on the request's own (virtual)
 * thread, with the {@link Watchdog} interrupting it at the timeout: handing every request to another thread
 * and its answer back cost two thread wake-ups per request, a large share of the host's CPU on a small submit.
 * The pool still gives the environment to one request at a time, as Lambda does.
 */
final class InProcessEnvironment implements ExecutionEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessEnvironment.class);

    private final FunctionRuntime function;
    private final String id;
    /** Null when invocations run on the caller's thread. */
    private final ExecutorService thread;
    private final LambdaLogger lambdaLogger;
    private volatile Object instance;
    private volatile boolean dead;

    InProcessEnvironment(FunctionRuntime function, int ordinal) {
        this(function, ordinal, false);
    }

    /** {@code callersThread}: each invocation runs on the thread that asks for it (the API's request threads). */
    InProcessEnvironment(FunctionRuntime function, int ordinal, boolean callersThread) {
        this.function = function;
        this.id = function.spec().name() + "-" + ordinal;
        this.thread = callersThread ? null : Executors.newSingleThreadExecutor(r -> {
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
        if (thread == null) {
            return invokeHere(eventJson, context, start, timeoutNanos);
        }
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

    /** The invocation on this thread; the watchdog interrupts it at the timeout. */
    private InvocationResult invokeHere(byte[] eventJson, HostContext context, long start, long timeoutNanos) {
        boolean init = false;
        Watchdog.Watch watch = Watchdog.watch(Thread.currentThread(), start + timeoutNanos);
        byte[] result = null;
        Exception failure = null;
        try {
            result = Env.with(function.env(), () -> {
                if (instance == null) {
                    instance = function.handler().newInstance();
                }
                return function.handler().invoke(instance, eventJson, context);
            });
        } catch (Exception e) {
            init = instance == null;
            failure = e;
        } catch (LinkageError | StackOverflowError e) {
            init = instance == null;
            failure = new RuntimeException(e);
        }
        if (watch.end()) {
            // It timed out: the watchdog interrupted this thread; clear that before the thread serves anything else.
            Thread.interrupted();
            destroy("timed out after " + function.spec().timeoutSeconds() + " s");
            return new InvocationResult.TimedOut(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
        if (failure != null) {
            if (init) {
                // Lambda discards an environment whose init failed; the next invocation starts a new one.
                destroy("init failed");
            }
            return new InvocationResult.Failed(failure, init);
        }
        return new InvocationResult.Returned(result);
    }

    /**
     * Interruption is all a thread of this JVM can be asked to stop with: a handler that ignores it keeps
     * running after its environment is gone. Say so, once the interrupted thread has had a moment to end.
     */
    private void warnIfStillRunning() {
        if (thread == null) {
            return; // the watchdog says so for invocations on the caller's thread
        }
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
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    @Override
    public void close() {
        dead = true;
        instance = null;
        if (thread != null) {
            thread.shutdownNow();
        }
    }
}
