package io.durablejobs.core.port;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The batch methods of the ports answer futures so that a caller can start calls to several stores and then
 * wait once: against Redis, calls started together travel in one pipeline and cost one round trip between
 * them. A store without a pipeline answers them one by one through {@link #now(Supplier)}.
 */
public final class Pipelined {
    private Pipelined() {
    }

    /** Runs {@code call} at once and answers its outcome as a completed (or failed) future. */
    public static <T> CompletableFuture<T> now(Supplier<T> call) {
        try {
            return CompletableFuture.completedFuture(call.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Runs {@code call} at once, as {@link #now(Supplier)}, for a call without an answer. */
    public static CompletableFuture<Void> run(Runnable call) {
        return now(() -> {
            call.run();
            return null;
        });
    }

    /** Waits for {@code f}, rethrowing the store's own exception (a {@link StoreUnavailableException} as a rule). */
    public static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new StoreUnavailableException(cause.toString(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the store", e);
        }
    }
}
