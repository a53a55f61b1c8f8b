package io.durablejobs.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.api.SubmitService;
import io.durablejobs.core.api.Traceparent;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.job.JobStatus;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.PublishException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Tells a job's {@code callbackUrl} its final outcome by enqueueing a {@code webhook.deliver} job whose body is
 * the completion event's. The callback is an ordinary job of the same tenant, so it inherits everything a
 * webhook has: Standard Webhooks signing (its {@code webhook-id} is the callback job's id), the SSRF guard,
 * the receiver's circuit breaker, retries, dead letters (replayable), a status to poll and the ledger.
 *
 * <p>Once per final outcome: the callback job's id is derived from the job's id, replay generation and final
 * status, so the redelivery of a finished job (which announces it again, at least once) finds the callback
 * already enqueued and adds nothing. The generation keeps outcomes of different replays apart: a dead letter
 * keeps the callback URL, so a job replayed from it calls back each new final outcome under its new generation.
 * A callback whose record exists but is still {@code queued} is published again: the first publish may be
 * what failed, and the worker's claim makes a second message of one job harmless.
 */
public final class CompletionCallbacks {
    public static final CompletionCallbacks NONE = new CompletionCallbacks(null, null, Clock.systemUTC());
    /** The job type that delivers callbacks. */
    public static final String TYPE = "webhook.deliver";

    private final JobStore store;
    private final SubmitService submit;
    private final Clock clock;

    /** @param submit accepts the callback job (status record, confirmed publish, ledger, listing) */
    public CompletionCallbacks(JobStore store, SubmitService submit, Clock clock) {
        this.store = store;
        this.submit = submit;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Enqueues the callback of {@code job}'s final outcome {@code r} (nothing when it has no callback URL).
     *
     * @throws PublishException when the broker did not confirm it: the worker fails the batch and the
     *                          redelivery, finding the job finished, tries again
     */
    public void finished(JobEnvelope job, JobRecord r, int generation) throws PublishException {
        if (this == NONE || job.callbackUrl() == null || !r.status().isTerminal()) {
            return;
        }
        String id = callbackJobId(job.jobId(), generation, r.status());
        Optional<JobRecord> existing = store.find(id);
        if (existing.isPresent() && existing.get().status() != JobStatus.QUEUED) {
            return; // enqueued before, and already running or done
        }
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.put("url", job.callbackUrl());
        payload.set("body", CompletionEvents.body(r));
        Instant createdAt = existing.map(JobRecord::createdAt).orElse(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        JobEnvelope callback = new JobEnvelope(id, job.tenant(), TYPE, payload, job.priority(), createdAt);
        try {
            submit.submit(callback, Traceparent.continueOrStart(null));
        } catch (SubmitService.NotAcceptedException e) {
            throw new PublishException("callback of job " + job.jobId() + " not accepted: " + e.getMessage(), e);
        }
    }

    /**
     * The callback job's id: a UUIDv7 (job ids must be) with the job's own time bits, so it sorts beside it,
     * and the rest from SHA-256 of (job id, generation, status): the same outcome always gives the same id.
     */
    public static String callbackJobId(String jobId, int generation, JobStatus status) {
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(("callback:" + jobId + ":" + generation + ":" + status.wire())
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        UUID parent = UUID.fromString(jobId);
        ByteBuffer b = ByteBuffer.wrap(h);
        long timeBits = parent.getMostSignificantBits() & 0xFFFF_FFFF_FFFF_0000L;
        long msb = timeBits | 0x7000L | (b.getShort() & 0x0FFFL);
        long lsb = (b.getLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }
}
