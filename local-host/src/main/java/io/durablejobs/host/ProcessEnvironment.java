package io.durablejobs.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An execution environment that is a JVM of its own, running Lambda's runtime interface client
 * ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>}) against a
 * {@link RuntimeApiEndpoint}: what runs is exactly what Lambda's managed Java runtime runs, and the
 * environment can be SIGKILLed like a sandbox. A timeout or the process's death destroys the environment.
 */
final class ProcessEnvironment implements ExecutionEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessEnvironment.class);
    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** Runs {@link #RIC_MAIN} after starting a watchdog that halts the JVM when the host is gone. */
    static final String LAUNCHER = RuntimeLauncher.class.getName();
    /** How long a cold runtime may take to start and ask for its first event (Lambda's init limit is 10 s). */
    private static final long INIT_MILLIS = 30_000;

    private final FunctionRuntime function;
    private final String id;
    private final Logger functionLog;
    private RuntimeApiEndpoint api;
    private Process process;
    private volatile boolean dead;

    ProcessEnvironment(FunctionRuntime function, int ordinal) {
        this.function = function;
        this.id = function.spec().name() + "-" + ordinal;
        this.functionLog = LoggerFactory.getLogger("lambda." + function.spec().name());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean isAlive() {
        return !dead;
    }

    /** The runtime's process, once started (tests SIGKILL it). */
    synchronized ProcessHandle processHandle() {
        return process == null ? null : process.toHandle();
    }

    @Override
    public synchronized InvocationResult invoke(byte[] eventJson, String requestId, String traceId) {
        if (dead) {
            throw new IllegalStateException("environment " + id + " was destroyed");
        }
        boolean cold = process == null;
        try {
            if (cold) {
                start();
            }
        } catch (IOException e) {
            destroy("runtime did not start: " + e.getMessage());
            return new InvocationResult.Failed(e, true);
        }
        FunctionSpec spec = function.spec();
        RuntimeApiEndpoint.Invocation inv = new RuntimeApiEndpoint.Invocation(requestId, eventJson, traceId,
                TimeUnit.SECONDS.toMillis(spec.timeoutSeconds()), new HostContext(spec, requestId, 0, null, null).getInvokedFunctionArn(),
                new CompletableFuture<>(), new CompletableFuture<>());
        api.offer(inv);
        try {
            CompletableFuture<Object> started = CompletableFuture.anyOf(inv.pickedUp(), api.initError(), process.onExit());
            Object first = started.get(cold ? INIT_MILLIS : 5_000, TimeUnit.MILLISECONDS);
            if (!(first instanceof Long deadline)) {
                String why = api.initError().isDone() ? "init error: " + api.initError().getNow("") : "runtime exited during init";
                destroy(why);
                return new InvocationResult.Failed(new IllegalStateException(why), true);
            }
            long wait = Math.max(1, deadline - System.currentTimeMillis());
            Object done = CompletableFuture.anyOf(inv.result(), process.onExit()).get(wait, TimeUnit.MILLISECONDS);
            if (done instanceof InvocationResult r) {
                return r;
            }
            destroy("runtime exited during the invocation (exit " + process.exitValue() + ")");
            return new InvocationResult.Failed(new IllegalStateException("Runtime.ExitError"), false);
        } catch (TimeoutException e) {
            boolean started = inv.pickedUp().isDone();
            destroy(started ? "timed out after " + spec.timeoutSeconds() + " s" : "runtime did not start in time");
            return started ? new InvocationResult.TimedOut(TimeUnit.SECONDS.toMillis(spec.timeoutSeconds()))
                    : new InvocationResult.Failed(new IllegalStateException("runtime did not start in time"), true);
        } catch (ExecutionException e) {
            destroy("host error: " + e.getCause());
            return new InvocationResult.Failed(e.getCause(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy("host interrupted while waiting");
            return new InvocationResult.Failed(e, false);
        }
    }

    private void start() throws IOException {
        api = new RuntimeApiEndpoint(id);
        FunctionSpec spec = function.spec();
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(),
                "-Xmx" + Math.max(64, spec.memoryMb() * 3 / 4) + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xshare:auto"));
        RuntimeNativeLibrary.jvmOption().ifPresent(cmd::add);
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            cmd.add("-Dlogback.configurationFile=" + logback);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LAUNCHER, RIC_MAIN, spec.handler()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(function.env());
        env.put("AWS_LAMBDA_RUNTIME_API", api.address());
        env.put("_HANDLER", spec.handler());
        env.putIfAbsent("TZ", ":UTC");
        process = pb.start();
        LOG.info("execution environment {}: runtime interface client started as pid {}", id, process.pid());
        Thread pump = new Thread(this::pumpOutput, "runtime-log-" + id);
        pump.setDaemon(true);
        pump.start();
    }

    /** The runtime's stdout and stderr (Lambda sends them to CloudWatch Logs) go to the function's logger. */
    private void pumpOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                functionLog.info("[{}] {}", id, line);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("log pump of {} ended: {}", id, e.toString());
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void destroy(String why) {
        if (!dead) {
            dead = true;
            LOG.warn("execution environment {} destroyed: {}", id, why);
        }
        close();
    }

    @Override
    public synchronized void close() {
        dead = true;
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        if (api != null) {
            api.close();
        }
    }
}
