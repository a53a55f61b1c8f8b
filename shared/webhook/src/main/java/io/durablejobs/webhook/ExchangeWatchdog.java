package io.durablejobs.webhook;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.concurrent.Cancellable;

/**
 * Enforces a cap on a whole HTTP exchange. The client's own timeouts bound each connect and each socket
 * read, so a receiver that trickles a byte every few seconds could hold a worker forever; this cancels the
 * request (closing its connection) when the cap is reached, whatever phase it is in.
 */
final class ExchangeWatchdog implements AutoCloseable {
    private final ScheduledThreadPoolExecutor timer;

    ExchangeWatchdog() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "webhook-exchange-watchdog");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Cancels {@code request} after {@code cap} unless the returned alarm is closed first. */
    Alarm arm(Cancellable request, Duration cap) {
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> future = timer.schedule(() -> {
            fired.set(true);
            request.cancel();
        }, Math.max(1, cap.toNanos()), TimeUnit.NANOSECONDS);
        return new Alarm(future, fired);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One armed cap; {@link #fired()} tells a timeout from other failures of a cancelled request. */
    static final class Alarm implements AutoCloseable {
        private final ScheduledFuture<?> future;
        private final AtomicBoolean fired;

        private Alarm(ScheduledFuture<?> future, AtomicBoolean fired) {
            this.future = future;
            this.fired = fired;
        }

        boolean fired() {
            return fired.get();
        }

        @Override
        public void close() {
            future.cancel(false);
        }
    }
}
