package io.durablejobs.core.dlq;

import io.durablejobs.core.api.Traceparent;
import io.durablejobs.core.job.FailureEntry;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.work.DeadLetterReasons;
import io.durablejobs.core.work.IncomingMessage;
import io.durablejobs.core.work.JobHeaders;
import io.durablejobs.core.work.JobMessages;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a message from the dead queue into a {@link DeadLetter}, whoever dead-lettered it: our workers
 * (headers {@code x-jobs-reason}, {@code x-jobs-history}, ...) or the broker itself ({@code x-death}:
 * {@code delivery_limit} on quorum queues, {@code rejected}, {@code expired}, without our headers). The job
 * itself comes from the body (the envelope). Never throws: what cannot be read is recorded as it came.
 */
public final class DeadLetterDecoder {
    /** Bodies kept for inspection when they are not an envelope; larger ones are cut. */
    static final int MAX_RAW_BYTES = 256 * 1024;
    private static final Pattern SAFE_ID = Pattern.compile("^[A-Za-z0-9._-]{1,128}$");

    private DeadLetterDecoder() {
    }

    public static DeadLetter decode(IncomingMessage m, Instant now) {
        try {
            return decodeOrThrow(m, now);
        } catch (RuntimeException e) {
            return malformed(m, now, "message could not be read: " + e);
        }
    }

    private static DeadLetter decodeOrThrow(IncomingMessage m, Instant now) {
        String ourReason = m.header(JobHeaders.REASON);
        Death death = ourReason == null ? brokerDeath(m.headers(), m.queue()) : null;
        String origin = ourReason != null ? "worker" : death != null ? "broker" : "malformed";
        String reason = ourReason != null ? ourReason : death != null ? death.reason() : DeadLetterReasons.UNDECODABLE;
        String error = ourReason != null ? m.header(JobHeaders.ERROR)
                : death != null ? "dead-lettered by the broker (" + death.reason() + ") from " + death.queue()
                + (death.count() > 0 ? " after " + death.count() + " deliveries" : "")
                : "no x-jobs-reason and no x-death header: not a dead letter of this platform";
        int attempts = Math.max(1, m.intHeader(JobHeaders.ATTEMPT, 1));
        List<FailureEntry> history = JobMessages.history(m);
        String sourceQueue = ourReason != null ? m.header(JobHeaders.SOURCE_QUEUE) : death != null ? death.queue() : m.queue();
        int generation = Math.max(0, m.intHeader(ReplayHeaders.GENERATION, 0));
        String traceparent = m.header(JobHeaders.TRACEPARENT);
        Instant at = ourReason != null && !history.isEmpty() ? history.get(history.size() - 1).at() : now;

        JobEnvelope job;
        try {
            job = JobMessages.decode(m.body());
        } catch (IllegalArgumentException e) {
            String tenant = m.header(JobHeaders.TENANT);
            String id = idFor(m);
            return new DeadLetter(id, tenant == null ? "" : tenant, "unknown", reason,
                    error == null ? e.getMessage() : error + "; body: " + e.getMessage(), attempts, history, null, 0, raw(m.body()),
                    sourceQueue, origin, traceparent, Traceparent.traceId(traceparent), null, at, now,
                    deathKey(id, generation, attempts, reason), generation, DeadLetter.State.DEAD, null, null);
        }
        if (death != null && history.isEmpty()) {
            history = List.of(new FailureEntry(attempts, now, reason, error));
        }
        return new DeadLetter(job.jobId(), job.tenant(), job.type(), reason, error, attempts, history, job.payload(), job.priority(),
                null, sourceQueue, origin, traceparent, Traceparent.traceId(traceparent), job.createdAt(), at, now,
                deathKey(job.jobId(), generation, attempts, reason), generation, DeadLetter.State.DEAD, null, null, job.callbackUrl());
    }

    /** The last resort: even a message we cannot read at all is kept, under an id derived from its bytes. */
    public static DeadLetter malformed(IncomingMessage m, Instant now, String why) {
        String id = idFor(m);
        String tenant = m.header(JobHeaders.TENANT);
        return new DeadLetter(id, tenant == null ? "" : tenant, "unknown", DeadLetterReasons.UNDECODABLE, why, 1, List.of(), null, 0,
                raw(m.body()), m.queue(), "malformed", null, null, null, now, now, deathKey(id, 0, 1, "malformed"), 0,
                DeadLetter.State.DEAD, null, null);
    }

    record Death(String reason, String queue, long count) {
    }

    /**
     * The newest x-death entry (RabbitMQ puts it first) not made by the dead queue itself, or the
     * x-first-death-* headers. An entry of {@code deadQueue} records a park (the DLQ consumer failed on the
     * letter too often, see {@code Topology}), not why the job died, so the record reads the same, and keeps
     * its key, whether or not it was parked.
     */
    static Death brokerDeath(Map<String, Object> headers, String deadQueue) {
        Object xDeath = headers.get("x-death");
        if (xDeath instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> death && !String.valueOf(death.get("queue")).equals(deadQueue)) {
                    Object count = death.get("count");
                    return new Death(String.valueOf(death.get("reason")), String.valueOf(death.get("queue")),
                            count instanceof Number n ? n.longValue() : parseLong(count));
                }
            }
        }
        Object reason = headers.get("x-first-death-reason");
        if (reason != null) {
            return new Death(reason.toString(), String.valueOf(headers.get("x-first-death-queue")), 0);
        }
        return null;
    }

    private static long parseLong(Object o) {
        try {
            return o == null ? 0 : Long.parseLong(o.toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The message id when it is a usable job id, else one derived from the bytes (stable across redeliveries). */
    static String idFor(IncomingMessage m) {
        String id = m.messageId();
        if (id != null && SAFE_ID.matcher(id).matches() && (JobIds.isValid(id) || !id.startsWith("."))) {
            return id;
        }
        return "undecodable-" + sha256(m.body()).substring(0, 32);
    }

    private static String raw(byte[] body) {
        byte[] kept = body.length > MAX_RAW_BYTES ? Arrays.copyOf(body, MAX_RAW_BYTES) : body;
        return Base64.getEncoder().encodeToString(kept);
    }

    static String deathKey(String jobId, int generation, int attempts, String reason) {
        return sha256((jobId + "|" + generation + "|" + attempts + "|" + reason).getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
