package io.durablejobs.core.api;

import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.work.JobMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a job: writes its status record, publishes the persistent message and waits for the broker's
 * confirm. Only then is the job accepted; if the broker does not confirm, the record is removed again
 * and the caller answers 503, so a rejected request leaves nothing behind.
 */
public final class SubmitService {
    private static final Logger LOG = LoggerFactory.getLogger(SubmitService.class);

    private final JobStore store;
    private final JobPublisher publisher;
    private final JobMessages messages;
    private final Duration statusTtl;
    private final Clock clock;
    private final io.durablejobs.core.ledger.Ledger ledger;
    private final JobIndex index;
    private final Duration indexRetention;

    public SubmitService(JobStore store, JobPublisher publisher, JobMessages messages, Duration statusTtl, Clock clock) {
        this(store, publisher, messages, statusTtl, clock, io.durablejobs.core.ledger.Ledger.NONE);
    }

    /** @param ledger counts each accepted job once (after the broker's confirm), for the conservation ledger */
    public SubmitService(JobStore store, JobPublisher publisher, JobMessages messages, Duration statusTtl, Clock clock,
                         io.durablejobs.core.ledger.Ledger ledger) {
        this(store, publisher, messages, statusTtl, clock, ledger, JobIndex.NONE, statusTtl);
    }

    /**
     * @param index          lists each accepted job under its tenant ({@code GET /v1/jobs})
     * @param indexRetention how long an index entry is kept: as long as the longest-lived record (the status
     *                       time to live plus the longest delay)
     */
    public SubmitService(JobStore store, JobPublisher publisher, JobMessages messages, Duration statusTtl, Clock clock,
                         io.durablejobs.core.ledger.Ledger ledger, JobIndex index, Duration indexRetention) {
        this.index = index;
        this.indexRetention = indexRetention;
        this.ledger = ledger;
        this.store = store;
        this.publisher = publisher;
        this.messages = messages;
        this.statusTtl = statusTtl;
        this.clock = clock;
    }

    /** The broker did not confirm; nothing was accepted. */
    public static final class NotAcceptedException extends Exception {
        public NotAcceptedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Accepts a job whose id is already fixed (the idempotency claim fixes it before publishing). A job
     * resubmitted under the same id keeps its existing record: it may already be running or done.
     */
    public JobRecord submit(JobEnvelope job, String traceparent) throws NotAcceptedException {
        return submit(job, traceparent, null);
    }

    /**
     * As {@link #submit(JobEnvelope, String)}, for a job due at {@code dueAt} (null: at once). A delayed job is
     * {@code scheduled}: its message goes to a retry tier and hops from tier to tier until it is due (the
     * workers send it on, without running it), so it is as durable as any message in the broker. Its record
     * lives its delay longer, so it does not expire while the job waits.
     */
    public JobRecord submit(JobEnvelope job, String traceparent, Instant dueAt) throws NotAcceptedException {
        boolean delayed = dueAt != null && dueAt.isAfter(job.createdAt());
        JobRecord record = delayed ? JobRecord.scheduled(job, job.createdAt(), dueAt) : JobRecord.queued(job, job.createdAt());
        Duration ttl = delayed ? statusTtl.plus(Duration.between(job.createdAt(), dueAt)) : statusTtl;
        boolean created = store.createIfAbsent(record, ttl);
        try {
            publisher.publish(delayed ? messages.delayed(job, traceparent, dueAt, job.createdAt()) : messages.initial(job, traceparent));
        } catch (PublishException e) {
            try {
                if (created) {
                    store.delete(job.jobId());
                }
            } catch (RuntimeException cleanup) {
                // The record expires by itself; the job was not accepted either way.
                LOG.warn("could not remove the record of an unaccepted job jobId={}: {}", job.jobId(), cleanup.toString());
            }
            LOG.warn("job not accepted, broker did not confirm jobId={} type={} tenant={}: {}", job.jobId(), job.type(), job.tenant(), e.getMessage());
            throw new NotAcceptedException(e.getMessage(), e);
        }
        LOG.info("job accepted jobId={} type={} tenant={}{}", job.jobId(), job.type(), job.tenant(), delayed ? " runAt=" + dueAt : "");
        try {
            ledger.accepted(job.tenant(), job.type(), job.jobId());
        } catch (RuntimeException e) {
            // Accepted all the same (the broker has it); the ledger check reports the gap.
            LOG.warn("ledger did not count the accepted job jobId={}: {}", job.jobId(), e.toString());
        }
        try {
            index.add(job.tenant(), job.jobId(), job.createdAt(), indexRetention);
        } catch (RuntimeException e) {
            // Accepted all the same; it runs and GET /v1/jobs/{id} shows it, only the listing misses it.
            LOG.warn("job not added to its tenant's listing jobId={}: {}", job.jobId(), e.toString());
        }
        return record;
    }
}
