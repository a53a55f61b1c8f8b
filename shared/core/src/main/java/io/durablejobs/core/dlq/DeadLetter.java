package io.durablejobs.core.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.job.FailureEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The durable record of one dead-lettered job: who, what, why, its attempts and their failures, the
 * payload to replay, and where its trace went. One record per job; a job dead-lettered again after a
 * replay replaces its record and keeps the earlier deaths in {@code previous} (lineage).
 *
 * @param payload     the job's payload, or null when the message was not a job envelope ({@code rawBody} then)
 * @param rawBody     base64 of the body as it came, only when it could not be decoded
 * @param origin      {@code worker} (our hand-off, with our headers) or {@code broker} (x-death: delivery_limit,
 *                    rejected, expired) or {@code malformed}
 * @param deathKey    identifies this death, so a redelivered copy of the same dead letter is recognised
 * @param generation  how many times the job had been replayed before this death
 * @param replay      set once replayed (state {@link State#REPLAYED})
 * @param callbackUrl where the job's final outcome is called back (null: nowhere); kept so a replayed job
 *                    calls back its new outcome as the original submit asked
 */
public record DeadLetter(
        String jobId,
        String tenant,
        String type,
        String reason,
        String error,
        int attempts,
        List<FailureEntry> history,
        JsonNode payload,
        int priority,
        String rawBody,
        String sourceQueue,
        String origin,
        String traceparent,
        String traceId,
        Instant createdAt,
        Instant deadLetteredAt,
        Instant recordedAt,
        String deathKey,
        int generation,
        State state,
        Replay replay,
        List<Lineage> previous,
        String callbackUrl) {

    public enum State { DEAD, REPLAYED }

    /** Who put the job back to work, when, and under which generation. */
    public record Replay(Instant at, String by, int generation) {
    }

    /** An earlier death of the same job, kept when it dies again after a replay. */
    public record Lineage(Instant deadLetteredAt, String reason, int attempts, Instant replayedAt, String replayedBy) {
    }

    /** A dead letter of a job that has no callback URL. */
    public DeadLetter(String jobId, String tenant, String type, String reason, String error, int attempts, List<FailureEntry> history,
                      JsonNode payload, int priority, String rawBody, String sourceQueue, String origin, String traceparent, String traceId,
                      Instant createdAt, Instant deadLetteredAt, Instant recordedAt, String deathKey, int generation, State state, Replay replay,
                      List<Lineage> previous) {
        this(jobId, tenant, type, reason, error, attempts, history, payload, priority, rawBody, sourceQueue, origin, traceparent, traceId,
                createdAt, deadLetteredAt, recordedAt, deathKey, generation, state, replay, previous, null);
    }

    public DeadLetter {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(deadLetteredAt, "deadLetteredAt");
        history = history == null ? List.of() : List.copyOf(history);
        previous = previous == null ? List.of() : List.copyOf(previous);
        state = state == null ? State.DEAD : state;
        type = type == null ? "unknown" : type;
    }

    public boolean replayable() {
        return payload != null && state == State.DEAD && !tenant.isEmpty();
    }

    public DeadLetter replayed(Replay r) {
        return new DeadLetter(jobId, tenant, type, reason, error, attempts, history, payload, priority, rawBody, sourceQueue, origin,
                traceparent, traceId, createdAt, deadLetteredAt, recordedAt, deathKey, generation, State.REPLAYED, r, previous, callbackUrl);
    }

    /** The same death, attributed to replay generation {@code gen} (the job store's, which survives retries). */
    public DeadLetter inGeneration(int gen) {
        if (gen == generation) {
            return this;
        }
        return new DeadLetter(jobId, tenant, type, reason, error, attempts, history, payload, priority, rawBody, sourceQueue, origin,
                traceparent, traceId, createdAt, deadLetteredAt, recordedAt, DeadLetterDecoder.deathKey(jobId, gen, attempts, reason), gen,
                state, replay, previous, callbackUrl);
    }

    /** This death, with an older record's death (and its own lineage) kept as lineage. */
    public DeadLetter after(DeadLetter older) {
        List<Lineage> lineage = new ArrayList<>(older.previous());
        lineage.add(new Lineage(older.deadLetteredAt(), older.reason(), older.attempts(),
                older.replay() == null ? null : older.replay().at(), older.replay() == null ? null : older.replay().by()));
        return new DeadLetter(jobId, tenant, type, reason, error, attempts, history, payload, priority, rawBody, sourceQueue, origin,
                traceparent, traceId, createdAt, deadLetteredAt, recordedAt, deathKey, generation, state, replay, lineage, callbackUrl);
    }
}
