package io.durablejobs.host;

/** How one invocation ended, as the trigger (API Gateway, the event-source mapping) sees it. */
public sealed interface InvocationResult permits InvocationResult.Returned, InvocationResult.Failed, InvocationResult.TimedOut {

    /** The handler returned; {@code json} is its serialized result. */
    record Returned(byte[] json) implements InvocationResult {
    }

    /** The handler (or its constructor) threw: Lambda's "Unhandled" function error. */
    record Failed(Throwable error, boolean duringInit) implements InvocationResult {
    }

    /** The handler ran past the function's timeout; its environment is gone. */
    record TimedOut(long afterMillis) implements InvocationResult {
    }
}
