package io.durablejobs.core.port;

/**
 * Calls to several stores, issued together so that they reach the store in one write when they share a
 * connection (against Redis: one flush of the socket, one read on the server, for the ledger's count, the
 * tenant's listing and the stored response of one submit). The calls still answer their own futures; the
 * group changes only how they share the wire. A store without such a connection runs them as they come.
 */
@FunctionalInterface
public interface WriteGroup {
    WriteGroup NONE = Runnable::run;

    /** Runs {@code issue}, which starts calls without waiting for them, and sends what it started together. */
    void together(Runnable issue);
}
