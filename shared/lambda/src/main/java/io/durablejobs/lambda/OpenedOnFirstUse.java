package io.durablejobs.lambda;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A client opened on its first use, once however many threads ask, and closed only if it was opened: a
 * function that never needs it (the blob and dead-letter stores outside the store API function and the DLQ
 * consumer, the metrics pusher outside the DLQ consumer) never builds it or loads its classes.
 */
final class OpenedOnFirstUse<T> implements Supplier<T> {
    private final Supplier<T> open;
    private final Consumer<T> close;
    private volatile T value;

    OpenedOnFirstUse(Supplier<T> open, Consumer<T> close) {
        this.open = open;
        this.close = close;
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                if (value == null) {
                    value = open.get();
                }
                v = value;
            }
        }
        return v;
    }

    /** Closes the client if it was opened; a later {@link #get} would open a new one. */
    synchronized void close() {
        T v = value;
        value = null;
        if (v != null) {
            close.accept(v);
        }
    }
}
