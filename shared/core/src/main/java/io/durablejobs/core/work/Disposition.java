package io.durablejobs.core.work;

/** What happened to one message in a batch; for logs, metrics and tests. */
public enum Disposition {
    SUCCEEDED, RETRIED, DEFERRED, DEAD_LETTERED, SKIPPED,
    /**
     * Still running when the batch's budget ran out: a copy of the message (same attempt) was published to a
     * retry tier, confirmed, so the batch could return. The run goes on and records its own outcome, fenced
     * by its claim; the copy is skipped if it did, and runs the job again only if this environment died.
     */
    HANDED_ON
}
