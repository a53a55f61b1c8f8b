package io.durablejobs.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.port.IdempotencyClaim;
import io.durablejobs.core.port.IdempotencyStore;
import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.port.Pipelined;
import io.durablejobs.core.port.PublishException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submit protocol, for one job or a batch of them: idempotency claims, status records, publishes
 * confirmed together, then the stored responses, the ledger's counts and the tenant's listing. Both
 * {@code POST /v1/jobs} and {@code POST /v1/jobs/batch} accept through here, so a key means the same on both:
 * a job submitted with key K through either route is replayed, not repeated, by the other.
 *
 * <p>Calls that do not depend on each other are started together and awaited once, so against Redis a
 * submit costs three round trips whatever the batch size: the claims with the records (a record is written
 * under the id proposed to the claim before the claim answers; the rare claim that resumes an earlier id,
 * or replays, has it removed again), then the publishes, then the stored responses with the counts and the
 * listing. A publish the broker does not confirm leaves nothing behind: its record is removed and its key
 * released, keeping the job id for the retry, which therefore creates the job once.
 */
public final class JobAcceptance {
    private static final Logger LOG = LoggerFactory.getLogger(JobAcceptance.class);
    static final String JOBS = "/v1/jobs";

    private final SubmitService submit;
    private final IdempotencyStore idempotency;
    private final JobsApi.IdempotencySettings settings;
    private final Clock clock;

    public JobAcceptance(SubmitService submit, IdempotencyStore idempotency, JobsApi.IdempotencySettings settings, Clock clock) {
        this.submit = submit;
        this.idempotency = idempotency;
        this.settings = settings;
        this.clock = clock;
    }

    /** A valid job to accept: its request, its idempotency key (null: none) and the trace it continues. */
    public record Item(SubmitRequest request, String idempotencyKey, String traceparent) {
    }

    /** What became of one item. */
    public sealed interface Outcome {
        /** The broker confirmed the job. */
        record Accepted(JobRecord record) implements Outcome {
        }

        /**
         * The key's first request completed: its stored response, and the job as it is now when that was asked
         * for and the record still exists (else null).
         */
        record Replayed(int status, String body, String location, JobRecord current) implements Outcome {
            /** The stored response's job id, type and status (the status at acceptance). */
            public JsonNode stored() {
                try {
                    return Json.MAPPER.readTree(body);
                } catch (IOException e) {
                    return Json.MAPPER.createObjectNode();
                }
            }
        }

        /** The key's first request is still being accepted: 409. */
        record InProgress() implements Outcome {
        }

        /** The key was used with a different request: 422. */
        record Mismatch() implements Outcome {
        }

        /** The broker did not confirm: nothing was accepted (503). */
        record NotConfirmed(String reason) implements Outcome {
        }
    }

    /** The 202 answer to an accepted job, as the single route sends it and as its key replays it. */
    public static ApiResponse acceptedResponse(JobRecord r) {
        return ApiResponse.json(202, JobViews.accepted(r), Map.of("Location", JOBS + "/" + r.jobId()));
    }

    /**
     * Accepts {@code items} for {@code tenant}, one outcome per item, in order. Throws
     * {@link io.durablejobs.core.port.StoreUnavailableException} when the claims or the records cannot be
     * written (nothing was published then).
     *
     * @param current whether a replayed item should carry its job as it is now (one more read, pipelined
     *                with the last step)
     */
    public List<Outcome> acceptAll(String tenant, List<Item> items, boolean current) {
        int n = items.size();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Outcome[] out = new Outcome[n];
        String[] fingerprints = new String[n];
        int[] duplicateOf = new int[n];
        Arrays.fill(duplicateOf, -1);

        // Two items of one batch with one key: the later one is answered as a retry of the earlier one would be.
        Map<String, Integer> firstWithKey = new HashMap<>();
        List<Integer> claimed = new ArrayList<>();
        List<IdempotencyStore.ClaimRequest> claims = new ArrayList<>();
        List<Integer> fresh = new ArrayList<>();
        List<JobEnvelope> proposed = new ArrayList<>();
        List<JobRecord> records = new ArrayList<>();
        List<Duration> ttls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Item item = items.get(i);
            if (item.idempotencyKey() != null) {
                fingerprints[i] = IdempotencyKeys.fingerprint(item.request());
                Integer first = firstWithKey.putIfAbsent(item.idempotencyKey(), i);
                if (first != null) {
                    duplicateOf[i] = first;
                    continue;
                }
            }
            SubmitRequest r = item.request();
            JobEnvelope job = new JobEnvelope(JobIds.newId(now.toEpochMilli()), tenant, r.type(), r.payload(), r.priority(), now, r.callbackUrl());
            fresh.add(i);
            proposed.add(job);
            JobRecord record = submit.record(job, r.dueAt(now));
            records.add(record);
            ttls.add(submit.ttl(record));
            if (item.idempotencyKey() != null) {
                claimed.add(i);
                claims.add(new IdempotencyStore.ClaimRequest(tenant, item.idempotencyKey(), fingerprints[i], job.jobId(), now));
            }
        }

        // Round trip 1: the claims and the records together, in one write.
        Step1 step1 = new Step1();
        submit.writes().together(() -> {
            step1.claims = claims.isEmpty() ? CompletableFuture.completedFuture(List.of())
                    : idempotency.claimAll(claims, settings.lease(), settings.ttl());
            step1.created = records.isEmpty() ? CompletableFuture.completedFuture(List.of())
                    : submit.store().createAllIfAbsent(records, ttls);
        });
        CompletableFuture<List<IdempotencyClaim>> claimsF = step1.claims;
        CompletableFuture<List<Boolean>> createdF = step1.created;
        List<IdempotencyClaim> claimAnswers;
        List<Boolean> created;
        try {
            claimAnswers = Pipelined.await(claimsF);
        } catch (RuntimeException e) {
            createdF.whenComplete((ok, err) -> forget(proposed.stream().map(JobEnvelope::jobId).toList()));
            throw e;
        }
        try {
            created = Pipelined.await(createdF);
        } catch (RuntimeException e) {
            releaseQuietly(claimed, claimAnswers, items, tenant);
            forget(proposed.stream().map(JobEnvelope::jobId).toList());
            throw e;
        }

        // What to publish: slot k of these lists is item publishIdx.get(k).
        List<Integer> publishIdx = new ArrayList<>();
        List<JobEnvelope> publishJobs = new ArrayList<>();
        List<Boolean> publishCreated = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        List<String> unused = new ArrayList<>();
        List<Integer> resumedSlots = new ArrayList<>();
        Map<Integer, IdempotencyClaim> claimOf = new HashMap<>();
        for (int c = 0; c < claimed.size(); c++) {
            claimOf.put(claimed.get(c), claimAnswers.get(c));
        }
        for (int f = 0; f < fresh.size(); f++) {
            int i = fresh.get(f);
            JobEnvelope job = proposed.get(f);
            IdempotencyClaim claim = claimOf.get(i);
            if (claim == null || claim instanceof IdempotencyClaim.Proceed p && p.jobId().equals(job.jobId())) {
                publishIdx.add(i);
                publishJobs.add(job);
                publishCreated.add(created.get(f));
                owners.add(claim == null ? null : ((IdempotencyClaim.Proceed) claim).owner());
                continue;
            }
            // The record written under the proposed id is not this item's job.
            if (created.get(f)) {
                unused.add(job.jobId());
            }
            if (claim instanceof IdempotencyClaim.Proceed p) {
                // An earlier request with this key was not confirmed (or its accepter died): the same job again.
                SubmitRequest r = items.get(i).request();
                publishIdx.add(i);
                publishJobs.add(new JobEnvelope(p.jobId(), tenant, r.type(), r.payload(), r.priority(), p.createdAt(), r.callbackUrl()));
                publishCreated.add(false);
                owners.add(p.owner());
                resumedSlots.add(publishIdx.size() - 1);
            } else if (claim instanceof IdempotencyClaim.Completed c) {
                out[i] = new Outcome.Replayed(c.status(), c.body(), c.location(), null);
            } else if (claim instanceof IdempotencyClaim.InProgress) {
                out[i] = new Outcome.InProgress();
            } else {
                out[i] = new Outcome.Mismatch();
            }
        }
        if (!resumedSlots.isEmpty()) {
            // Only when a key is resumed: that job's record, under its original id, before its publish.
            List<JobRecord> again = new ArrayList<>();
            List<Duration> againTtl = new ArrayList<>();
            for (int k : resumedSlots) {
                JobRecord r = submit.record(publishJobs.get(k), items.get(publishIdx.get(k)).request().dueAt(now));
                again.add(r);
                againTtl.add(submit.ttl(r));
            }
            List<Boolean> wrote;
            try {
                wrote = Pipelined.await(submit.store().createAllIfAbsent(again, againTtl));
            } catch (RuntimeException e) {
                releaseQuietly(claimed, claimAnswers, items, tenant);
                forget(records.stream().map(JobRecord::jobId).toList());
                throw e;
            }
            for (int j = 0; j < resumedSlots.size(); j++) {
                publishCreated.set(resumedSlots.get(j), wrote.get(j));
            }
        }

        // The publishes, confirmed together.
        List<OutboundMessage> messages = new ArrayList<>();
        List<JobRecord> publishRecords = new ArrayList<>();
        for (int k = 0; k < publishIdx.size(); k++) {
            Item item = items.get(publishIdx.get(k));
            Instant dueAt = item.request().dueAt(now);
            messages.add(submit.message(publishJobs.get(k), item.traceparent(), dueAt));
            publishRecords.add(submit.record(publishJobs.get(k), dueAt));
        }
        Map<Integer, PublishException> failed = messages.isEmpty() ? Map.of() : submit.publisher().publishAll(messages);

        // Round trip 3: what the outcome leaves behind.
        List<IdempotencyStore.Completion> completions = new ArrayList<>();
        List<IdempotencyStore.Release> releases = new ArrayList<>();
        List<Ledger.Acceptance> acceptances = new ArrayList<>();
        List<JobIndex.Entry> entries = new ArrayList<>();
        List<String> forgotten = new ArrayList<>(unused);
        for (int k = 0; k < publishIdx.size(); k++) {
            int i = publishIdx.get(k);
            JobEnvelope job = publishJobs.get(k);
            String key = items.get(i).idempotencyKey();
            PublishException e = failed.get(k);
            if (e == null) {
                JobRecord r = publishRecords.get(k);
                out[i] = new Outcome.Accepted(r);
                acceptances.add(new Ledger.Acceptance(tenant, job.type(), job.jobId()));
                entries.add(new JobIndex.Entry(job.jobId(), job.createdAt()));
                if (key != null) {
                    ApiResponse ok = acceptedResponse(r);
                    completions.add(new IdempotencyStore.Completion(tenant, key, owners.get(k), ok.status(), ok.bodyText(),
                            ok.headers().get("Location")));
                }
            } else {
                out[i] = new Outcome.NotConfirmed(e.getMessage());
                if (publishCreated.get(k)) {
                    forgotten.add(job.jobId());
                }
                if (key != null) {
                    releases.add(new IdempotencyStore.Release(tenant, key, owners.get(k)));
                }
            }
        }
        List<Integer> replayed = new ArrayList<>();
        List<String> replayedIds = new ArrayList<>();
        if (current) {
            for (int i = 0; i < n; i++) {
                if (out[i] instanceof Outcome.Replayed r && r.stored().hasNonNull("jobId")) {
                    replayed.add(i);
                    replayedIds.add(r.stored().get("jobId").asText());
                }
            }
        }
        Step3 step3 = new Step3();
        submit.writes().together(() -> {
            step3.completed = completions.isEmpty() ? done() : idempotency.completeAll(completions, settings.ttl());
            step3.released = releases.isEmpty() ? done() : idempotency.releaseAll(releases);
            step3.removed = forgotten.isEmpty() ? done() : submit.store().deleteAll(forgotten);
            step3.counted = acceptances.isEmpty() ? done() : submit.ledger().acceptedAll(acceptances);
            step3.listed = entries.isEmpty() ? done() : submit.index().addAll(tenant, entries, submit.indexRetention());
            step3.found = replayedIds.isEmpty() ? CompletableFuture.completedFuture(List.of()) : submit.store().findAll(replayedIds);
        });
        CompletableFuture<Void> completed = step3.completed;
        CompletableFuture<Void> released = step3.released;
        CompletableFuture<Void> removed = step3.removed;
        CompletableFuture<Void> counted = step3.counted;
        CompletableFuture<Void> listed = step3.listed;
        CompletableFuture<List<Optional<JobRecord>>> found = step3.found;
        try {
            Pipelined.await(completed);
        } catch (RuntimeException e) {
            // Accepted all the same. A retry resumes the same job id once the claim's lease lapses, and the
            // worker recognises the repeated message: still one job.
            LOG.warn("could not store the idempotent responses tenant={}: {}", tenant, e.toString());
        }
        try {
            Pipelined.await(released);
        } catch (RuntimeException ignored) {
            // the leases lapse by themselves
        }
        try {
            Pipelined.await(removed);
        } catch (RuntimeException e) {
            // The records expire by themselves; those jobs were not accepted either way.
            LOG.warn("could not remove the records of unaccepted jobs tenant={}: {}", tenant, e.toString());
        }
        SubmitService.afterAcceptance(counted, listed, "tenant=" + tenant);
        if (!replayed.isEmpty()) {
            try {
                List<Optional<JobRecord>> now2 = Pipelined.await(found);
                for (int j = 0; j < replayed.size(); j++) {
                    Outcome.Replayed r = (Outcome.Replayed) out[replayed.get(j)];
                    JobRecord rec = now2.get(j).filter(x -> x.tenant().equals(tenant)).orElse(null);
                    out[replayed.get(j)] = new Outcome.Replayed(r.status(), r.body(), r.location(), rec);
                }
            } catch (RuntimeException e) {
                LOG.debug("replayed jobs answered with their stored status: {}", e.toString());
            }
        }
        for (int i = 0; i < n; i++) {
            if (duplicateOf[i] >= 0) {
                out[i] = duplicate(out[duplicateOf[i]], fingerprints[i].equals(fingerprints[duplicateOf[i]]));
            }
        }
        log(tenant, out, failed);
        return Arrays.asList(out);
    }

    /** What the first step started: the claims and the records. */
    private static final class Step1 {
        CompletableFuture<List<IdempotencyClaim>> claims;
        CompletableFuture<List<Boolean>> created;
    }

    /** What the last step started: the stored responses, releases, removals, counts, listing and replayed jobs. */
    private static final class Step3 {
        CompletableFuture<Void> completed;
        CompletableFuture<Void> released;
        CompletableFuture<Void> removed;
        CompletableFuture<Void> counted;
        CompletableFuture<Void> listed;
        CompletableFuture<List<Optional<JobRecord>>> found;
    }

    /** A later item with an earlier item's key: a retry of it, answered as the retry would be once the first is done. */
    private static Outcome duplicate(Outcome first, boolean sameRequest) {
        if (!sameRequest) {
            return new Outcome.Mismatch();
        }
        if (first instanceof Outcome.Accepted a) {
            ApiResponse ok = acceptedResponse(a.record());
            return new Outcome.Replayed(ok.status(), ok.bodyText(), ok.headers().get("Location"), a.record());
        }
        return first;
    }

    private void log(String tenant, Outcome[] out, Map<Integer, PublishException> failed) {
        if (out.length == 1 && out[0] instanceof Outcome.Accepted a) {
            JobRecord r = a.record();
            LOG.info("job accepted jobId={} type={} tenant={}{}", r.jobId(), r.type(), tenant, r.runAt() != null ? " runAt=" + r.runAt() : "");
            return;
        }
        long accepted = Arrays.stream(out).filter(o -> o instanceof Outcome.Accepted).count();
        if (!failed.isEmpty()) {
            LOG.warn("jobs not accepted, broker did not confirm tenant={} unconfirmed={} first: {}", tenant, failed.size(),
                    failed.values().iterator().next().getMessage());
        }
        if (out.length > 1) {
            LOG.info("batch tenant={} items={} accepted={}", tenant, out.length, accepted);
        }
    }

    private void releaseQuietly(List<Integer> claimed, List<IdempotencyClaim> answers, List<Item> items, String tenant) {
        List<IdempotencyStore.Release> releases = new ArrayList<>();
        for (int c = 0; c < claimed.size(); c++) {
            if (answers.get(c) instanceof IdempotencyClaim.Proceed p) {
                releases.add(new IdempotencyStore.Release(tenant, items.get(claimed.get(c)).idempotencyKey(), p.owner()));
            }
        }
        if (!releases.isEmpty()) {
            idempotency.releaseAll(releases).exceptionally(e -> null);
        }
    }

    /** Removes records that never became jobs, without waiting: they expire by themselves if this fails. */
    private void forget(List<String> jobIds) {
        if (!jobIds.isEmpty()) {
            try {
                submit.store().deleteAll(jobIds).exceptionally(e -> null);
            } catch (RuntimeException ignored) {
                // they expire by themselves
            }
        }
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
