package io.durablejobs.host;

import java.util.UUID;

/**
 * One Lambda execution environment: one handler instance, one invocation at a time, constructed on first
 * use. An invocation past the function's timeout destroys it, as Lambda resets a timed-out sandbox. Two
 * kinds: {@link InProcessEnvironment} (a thread of the host) and {@link ProcessEnvironment} (a JVM of its
 * own running Lambda's runtime interface client against a Runtime API the host serves).
 */
public interface ExecutionEnvironment extends AutoCloseable {

    String id();

    boolean isAlive();

    /** Runs one invocation with the function's timeout. Never throws for handler failures. */
    InvocationResult invoke(byte[] eventJson, String requestId, String traceId);

    default InvocationResult invoke(byte[] eventJson) {
        return invoke(eventJson, UUID.randomUUID().toString(), null);
    }

    @Override
    void close();
}
