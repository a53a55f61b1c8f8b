package io.durablejobs.core.admission;

/**
 * How many messages wait in a type's queue, as last read from the broker. Implementations cache the
 * answer briefly: load shedding must not ask the broker on every request.
 */
public interface QueueDepths {

    /** The depth of the type's work queue, or -1 when unknown (then nothing is shed). */
    long depth(String jobType);

    QueueDepths UNKNOWN = type -> -1;
}
