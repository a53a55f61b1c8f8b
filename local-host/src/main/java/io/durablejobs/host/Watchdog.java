package io.durablejobs.host;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Function timeouts for invocations that run on their caller's thread: one daemon thread looks at the
 * invocations under way ten times a second and interrupts those past their deadline. A scan rather than a
 * timer task per invocation: watching one costs a set insertion and removal, and a timeout 100 ms late
 * changes nothing for functions whose timeouts are counted in seconds.
 */
final class Watchdog {
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    static final long SCAN_MILLIS = 100;
    /** How long past its timeout a handler may take to notice the interruption before the host says it ignores it. */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final Set<Watch> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Thread t = new Thread(Watchdog::scan, "function-timeouts");
        t.setDaemon(true);
        t.start();
    }

    private Watchdog() {
    }

    /** Starts watching {@code thread}'s invocation, due to end by {@code deadlineNanos} ({@link System#nanoTime()}). */
    static Watch watch(Thread thread, long deadlineNanos) {
        Watch w = new Watch(thread, deadlineNanos);
        RUNNING.add(w);
        return w;
    }

    /** One invocation under way. */
    static final class Watch {
        private final Thread thread;
        private final long deadlineNanos;
        private boolean ended;
        private boolean timedOut;
        private boolean warned;

        private Watch(Thread thread, long deadlineNanos) {
            this.thread = thread;
            this.deadlineNanos = deadlineNanos;
        }

        /**
         * The invocation has returned: no interruption can reach its thread after this. True when it had
         * timed out (its thread was interrupted, and the interruption is pending or was seen by the handler).
         */
        boolean end() {
            RUNNING.remove(this);
            synchronized (this) {
                ended = true;
                return timedOut;
            }
        }

        /** Interrupts the thread once past the deadline; says so if the handler is still running well after. */
        private synchronized void check(long now) {
            if (ended || now - deadlineNanos < 0) {
                return;
            }
            if (!timedOut) {
                timedOut = true;
                thread.interrupt();
            } else if (!warned && now - deadlineNanos > GRACE_NANOS) {
                warned = true;
                LOG.error("a function invocation on thread {} timed out but its handler ignores interruption and keeps running;"
                        + " its caller waits for it", thread.getName());
            }
        }
    }

    private static void scan() {
        while (true) {
            try {
                Thread.sleep(SCAN_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Watch w : RUNNING) {
                w.check(now);
            }
        }
    }
}
