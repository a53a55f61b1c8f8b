package io.durablejobs.chaos;

/**
 * Lets the clients take new idempotency keys, or holds them back: {@link #closeAndDrain} waits until every
 * key already taken has its final answer (including its duplicates and retries). The run closes the gate
 * around a Redis restart that loses data, so that no client retry straddles it (see README).
 */
final class SubmitGate {
    private boolean open = true;
    private int inFlight;

    synchronized void enter() throws InterruptedException {
        while (!open) {
            wait();
        }
        inFlight++;
    }

    synchronized void leave() {
        inFlight--;
        notifyAll();
    }

    /** @return false when keys were still in flight after {@code millis} */
    synchronized boolean closeAndDrain(long millis) throws InterruptedException {
        open = false;
        long until = System.currentTimeMillis() + millis;
        while (inFlight > 0) {
            long left = until - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    synchronized void open() {
        open = true;
        notifyAll();
    }
}
