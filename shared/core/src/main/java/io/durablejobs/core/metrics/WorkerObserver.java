package io.durablejobs.core.metrics;

import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.type.Outcome;
import io.durablejobs.core.work.Disposition;
import io.durablejobs.core.work.IncomingMessage;
import java.time.Duration;

/**
 * What the worker tells the outside about each message it processes: for logs (MDC), spans, metrics
 (the ledger is the worker's own business, not an observer's). One {@link Scope} per message, on the thread that processes it, closed when done.
 */
public interface WorkerObserver {

    Scope received(IncomingMessage message);

    /** The life of one message in the worker. */
    interface Scope extends AutoCloseable {

        /** The body is a job envelope. */
        default void decoded(JobEnvelope job, int attempt) {
        }

        /** The handler ran. */
        default void handled(JobEnvelope job, int attempt, Outcome outcome, Duration took) {
        }

        /** This run recorded the job's terminal status itself (its fenced write applied), in replay {@code generation}. */
        default void finished(JobStatus status, int generation) {
        }

        /** The message was handed on (or skipped): the worker is done with it. */
        default void disposed(Disposition disposition) {
        }

        @Override
        default void close() {
        }
    }

    Scope NO_SCOPE = new Scope() {
    };

    WorkerObserver NONE = message -> NO_SCOPE;
}
