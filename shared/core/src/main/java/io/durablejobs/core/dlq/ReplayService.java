package io.durablejobs.core.dlq;

import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.port.JobPublisher;
import io.durablejobs.core.port.JobReplay;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.PublishException;
import io.durablejobs.core.work.JobMessages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts dead-lettered jobs back to work, and discards them. A replay keeps the job id and its trace,
 * keeps its callback URL, resets attempts, and deliberately resets the job's execution record (the claim refuses finished jobs
 * otherwise). Order matters for safety:
 * <ol>
 *   <li>the job store resets the job (queued, new generation, lineage); a job that is not dead is refused;
 *   <li>the message is published and confirmed; if the broker does not confirm, the job is marked dead
 *       again and nothing else changed (the dead letter still stands, the caller may retry);
 *   <li>the ledger moves the job from dead_lettered back to in_flight (once per generation);
 *   <li>the dead letter is marked replayed (it leaves the listing, kept as lineage).
 * </ol>
 * A crash between 1 and 4 leaves the dead letter listed and the job pending; replaying it again finds
 * the pending replay (same lineage) and completes it. Every action is audited: a log line and a record.
 */
public final class ReplayService {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayService.class);

    private final DeadLetterStore dlq;
    private final JobStore jobs;
    private final JobPublisher publisher;
    private final JobMessages messages;
    private final Ledger ledger;
    private final Duration statusTtl;
    private final Clock clock;

    public ReplayService(DeadLetterStore dlq, JobStore jobs, JobPublisher publisher, JobMessages messages, Ledger ledger,
                         Duration statusTtl, Clock clock) {
        this.dlq = dlq;
        this.jobs = jobs;
        this.publisher = publisher;
        this.messages = messages;
        this.ledger = ledger;
        this.statusTtl = statusTtl;
        this.clock = clock;
    }

    public ReplayOutcome replay(String tenant, String jobId, String actor) {
        Optional<DeadLetter> found = dlq.find(tenant, jobId);
        ReplayOutcome outcome = found.isEmpty() ? new ReplayOutcome.NotFound() : replay(found.get(), actor);
        audit(tenant, actor, "replay", jobId, null, outcome);
        return outcome;
    }

    private ReplayOutcome replay(DeadLetter d, String actor) {
        if (d.state() != DeadLetter.State.DEAD) {
            return new ReplayOutcome.NotDead("already replayed at " + d.replay().at() + " by " + d.replay().by());
        }
        if (!d.replayable()) {
            return new ReplayOutcome.NotDead("the dead message was not a job (" + d.reason() + "); there is nothing to replay");
        }
        Instant now = clock.instant();
        String replayOf = d.jobId() + "@" + d.deadLetteredAt();
        Instant createdAt = d.createdAt() != null ? d.createdAt() : d.deadLetteredAt();
        OptionalInt gen = jobs.replay(new JobReplay(d.jobId(), d.tenant(), d.type(), createdAt, d.generation() + 1, replayOf, actor, now),
                statusTtl);
        if (gen.isEmpty()) {
            return new ReplayOutcome.NotDead("the job is not dead-lettered (it was replayed already or is running)");
        }
        // The callback URL goes back into the message: the replayed job calls back its new outcome (a new callback
        // job, since the callback's id includes the replay generation).
        JobEnvelope job = new JobEnvelope(d.jobId(), d.tenant(), d.type(), d.payload(), d.priority(), createdAt, d.callbackUrl());
        try {
            publisher.publish(withReplayHeaders(messages.initial(job, d.traceparent()), gen.getAsInt(), replayOf));
        } catch (PublishException e) {
            jobs.markDeadLettered(d.jobId(), "replay not published: " + e.getMessage(), statusTtl);
            return new ReplayOutcome.NotPublished(e.getMessage());
        }
        ledger.reopened(d.tenant(), d.type(), d.jobId(), gen.getAsInt());
        dlq.put(d.replayed(new DeadLetter.Replay(now, actor, gen.getAsInt())));
        return new ReplayOutcome.Replayed(d.jobId(), gen.getAsInt());
    }

    private static OutboundMessage withReplayHeaders(OutboundMessage m, int generation, String replayOf) {
        Map<String, Object> h = new HashMap<>(m.headers());
        h.put(ReplayHeaders.GENERATION, generation);
        h.put(ReplayHeaders.REPLAY_OF, replayOf);
        return new OutboundMessage(m.exchange(), m.routingKey(), m.body(), h, m.messageId(), m.type(), m.priority());
    }

    /** The result of a bulk replay: how many matched, and how many were replayed (0 on a dry run). */
    public record BulkResult(int matched, int replayed, List<String> failed, boolean truncated) {
    }

    /** Replays every matching dead letter of the tenant, up to {@code max} (dry run: counts only). */
    public BulkResult bulk(String tenant, BulkReplayFilter filter, boolean dryRun, int max, String actor) {
        List<DeadLetter> matching = new ArrayList<>();
        DeadLetterCursor cursor = null;
        boolean truncated = false;
        do {
            DeadLetterPage page = dlq.list(new DeadLetterQuery(tenant, filter.type(), filter.reason(), filter.before(), 100, cursor));
            for (DeadLetter d : page.items()) {
                if (matching.size() == max) {
                    truncated = true;
                    break;
                }
                matching.add(d);
            }
            cursor = truncated ? null : page.next();
        } while (cursor != null);
        int replayed = 0;
        List<String> failed = new ArrayList<>();
        if (!dryRun) {
            for (DeadLetter d : matching) {
                ReplayOutcome o = replay(d, actor);
                if (o instanceof ReplayOutcome.Replayed) {
                    replayed++;
                } else {
                    failed.add(d.jobId());
                }
            }
        }
        String detail = "filter type=" + filter.type() + " reason=" + filter.reason() + " before=" + filter.before() + (dryRun ? " dryRun" : "");
        audit(tenant, actor, dryRun ? "bulk-replay-dry-run" : "bulk-replay", null, detail,
                "matched=" + matching.size() + " replayed=" + replayed + " failed=" + failed.size());
        return new BulkResult(matching.size(), replayed, failed, truncated);
    }

    /** Discards a dead letter. Returns false when the tenant has none by that id. */
    public boolean discard(String tenant, String jobId, String actor) {
        boolean existed = dlq.find(tenant, jobId).isPresent() && dlq.delete(tenant, jobId);
        audit(tenant, actor, "discard", jobId, null, existed ? "discarded" : "not-found");
        return existed;
    }

    private void audit(String tenant, String actor, String action, String jobId, String detail, ReplayOutcome outcome) {
        String result;
        if (outcome instanceof ReplayOutcome.Replayed r) {
            result = "replayed generation=" + r.generation();
        } else if (outcome instanceof ReplayOutcome.NotDead n) {
            result = "not-dead: " + n.why();
        } else if (outcome instanceof ReplayOutcome.NotPublished n) {
            result = "not-published: " + n.why();
        } else {
            result = "not-found";
        }
        audit(tenant, actor, action, jobId, detail, result);
    }

    private void audit(String tenant, String actor, String action, String jobId, String detail, String outcome) {
        LOG.info("audit action={} tenant={} actor={} jobId={} detail={} outcome={}", action, tenant, actor, jobId, detail, outcome);
        try {
            dlq.audit(new AuditEntry(clock.instant(), tenant, actor, action, jobId, detail, outcome));
        } catch (DeadLetterStoreUnavailableException e) {
            LOG.warn("audit record not written (the log line above stands) action={} jobId={}: {}", action, jobId, e.getMessage());
        }
    }
}
