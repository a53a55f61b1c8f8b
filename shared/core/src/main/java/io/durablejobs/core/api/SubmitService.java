package io.durablejobs.core.api;

import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.Pipelined;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.port.WriteGroup;
import io.durablejobs.core.work.JobMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
    private final Ledger ledger;
    private final JobIndex index;
    private final Duration indexRetention;
    private final WriteGroup writes;

    public SubmitService(JobStore store, JobPublisher publisher, JobMessages messages, Duration statusTtl, Clock clock) {
        this(store, publisher, messages, statusTtl, clock, Ledger.NONE);
    }

    /** @param ledger counts each accepted job once (after the broker's confirm), for the conservation ledger */
    public SubmitService(JobStore store, JobPublisher publisher, JobMessages messages, Duration statusTtl, Clock clock,
                         Ledger ledger) {
        this(store, publisher, messages, statusTtl, clock, ledger, JobIndex.NONE, statusTtl);
    }

    /**
     * @param index          lists each accepted job under its tenant ({@code GET /v1/jobs})
     * @param indexRetention how long an index entry is kept: as long as the longest-lived record (the status
     *                       time to live plus the longest delay)
     */
    public SubmitService(JobStore store, JobPublisher publisher, JobMessages messages, Duration statusTtl, Clock clock,
                         Ledger ledger, JobIndex index, Duration indexRetention) {
        this(store, publisher, messages, statusTtl, clock, ledger, index, indexRetention, WriteGroup.NONE);
    }

    /**
     * @param writes sends a step's calls to the stores together (the records with the idempotency claims; the
     *               counts, the listing and the stored responses), where the stores share a connection
     */
    public SubmitService(JobStore store, JobPublisher publisher, JobMessages messages, Duration statusTtl, Clock clock,
                         Ledger ledger, JobIndex index, Duration indexRetention, WriteGroup writes) {
        this.writes = Objects.requireNonNull(writes, "writes");
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
        JobRecord record = record(job, dueAt);
        boolean created = store.createIfAbsent(record, ttl(record));
        try {
            publisher.publish(message(job, traceparent, dueAt));
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
        LOG.info("job accepted jobId={} type={} tenant={}{}", job.jobId(), job.type(), job.tenant(), record.runAt() != null ? " runAt=" + dueAt : "");
        // Counted and listed together: against Redis both travel in one write, one round trip.
        List<CompletableFuture<Void>> calls = new ArrayList<>(2);
        writes.together(() -> {
            calls.add(ledger.acceptedAll(List.of(new Ledger.Acceptance(job.tenant(), job.type(), job.jobId()))));
            calls.add(index.addAll(job.tenant(), List.of(new JobIndex.Entry(job.jobId(), job.createdAt())), indexRetention));
        });
        afterAcceptance(calls.get(0), calls.get(1), job.jobId());
        return record;
    }

    /**
     * Waits for the bookkeeping of accepted jobs: the ledger's count and the tenant's listing. Neither
     * unmakes an acceptance (the broker has the job): the ledger check reports a missed count, and a job
     * missing from the listing still runs and is found by its id.
     */
    static void afterAcceptance(CompletableFuture<Void> counted, CompletableFuture<Void> listed, String what) {
        try {
            Pipelined.await(counted);
        } catch (RuntimeException e) {
            LOG.warn("ledger did not count the accepted job(s) {}: {}", what, e.toString());
        }
        try {
            Pipelined.await(listed);
        } catch (RuntimeException e) {
            LOG.warn("job(s) not added to the tenant's listing {}: {}", what, e.toString());
        }
    }

    /** The record a job starts with: {@code scheduled} when due later, else {@code queued}. */
    JobRecord record(JobEnvelope job, Instant dueAt) {
        boolean delayed = dueAt != null && dueAt.isAfter(job.createdAt());
        return delayed ? JobRecord.scheduled(job, job.createdAt(), dueAt) : JobRecord.queued(job, job.createdAt());
    }

    /** A delayed job's record lives its delay longer, so it does not expire while the job waits. */
    Duration ttl(JobRecord record) {
        return record.runAt() != null ? statusTtl.plus(Duration.between(record.createdAt(), record.runAt())) : statusTtl;
    }

    /** The job's first message: to its queue, or, when due later, to the retry tiers it hops through until due. */
    OutboundMessage message(JobEnvelope job, String traceparent, Instant dueAt) {
        return dueAt != null && dueAt.isAfter(job.createdAt()) ? messages.delayed(job, traceparent, dueAt, job.createdAt())
                : messages.initial(job, traceparent);
    }

    /** Sends a step's calls to the stores together. */
    WriteGroup writes() {
        return writes;
    }

    JobStore store() {
        return store;
    }

    JobPublisher publisher() {
        return publisher;
    }

    Ledger ledger() {
        return ledger;
    }

    JobIndex index() {
        return index;
    }

    Duration indexRetention() {
        return indexRetention;
    }
}
