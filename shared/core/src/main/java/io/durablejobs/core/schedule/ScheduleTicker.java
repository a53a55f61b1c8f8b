package io.durablejobs.core.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.durablejobs.core.api.IdempotencyKeys;
import io.durablejobs.core.api.JobViews;
import io.durablejobs.core.api.SubmitRequest;
import io.durablejobs.core.api.SubmitService;
import io.durablejobs.core.api.Traceparent;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.job.JobRecord;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.IdempotencyClaim;
import io.durablejobs.core.port.IdempotencyStore;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.port.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the scheduler (every minute, from EventBridge on AWS or the local host): enqueues the jobs of
 * every due schedule and moves it on to its next tick.
 *
 * <p>Each tick enqueues at most one job however many scheduler instances run the same minute: a tick's
 * job goes through the tenant's idempotency store under the key {@code schedule:<id>:<tick time>} and then
 * the API's submit path, so two instances that race get the same job id, and only one message is accepted.
 * Moving the schedule on is a compare-and-set on the tick it was read at; an instance that finds a tick's
 * key still being accepted by another leaves the schedule where it is, so a tick whose accepter died is
 * resumed (under the same job id) by a later run rather than lost.
 */
public final class ScheduleTicker {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTicker.class);
    /** On-time ticks handled per schedule per run: more only when the minimum interval is far below the grace. */
    private static final int MAX_ON_TIME_TICKS = 10;
    /** Beyond this, ticks are certainly missed: the walk to the latest one starts here instead of at a months-old tick. */
    private static final Duration WALK_LIMIT = Duration.ofDays(40);

    private final ScheduleStore schedules;
    private final CronRules cron;
    private final IdempotencyStore idempotency;
    private final SubmitService submit;
    private final JobStore jobs;
    private final ScheduleSettings settings;
    private final Duration idempotencyLease;
    private final Duration idempotencyTtl;
    private final Clock clock;

    public ScheduleTicker(ScheduleStore schedules, CronRules cron, IdempotencyStore idempotency, SubmitService submit, JobStore jobs,
                          ScheduleSettings settings, Duration idempotencyLease, Duration idempotencyTtl, Clock clock) {
        this.schedules = schedules;
        this.cron = cron;
        this.idempotency = idempotency;
        this.submit = submit;
        this.jobs = jobs;
        this.settings = settings;
        this.idempotencyLease = idempotencyLease;
        this.idempotencyTtl = idempotencyTtl;
        this.clock = clock;
    }

    /** What one run did, for the log line and the tests. */
    public record Report(int schedules, int enqueued, int skippedOverlap, int skippedMissed, int deferred) {
    }

    public Report run() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Schedule> due = schedules.due(now, settings.batch());
        int[] totals = new int[4];
        for (Schedule s : due) {
            try {
                int[] r = tick(s, now);
                for (int i = 0; i < 4; i++) {
                    totals[i] += r[i];
                }
            } catch (RuntimeException e) {
                // One broken schedule (or a store blip) must not stop the others; it stays due for the next run.
                totals[3]++;
                LOG.warn("schedule tick failed scheduleId={} tenant={}: {}", s.id(), s.tenant(), e.toString());
            }
        }
        Report report = new Report(due.size(), totals[0], totals[1], totals[2], totals[3]);
        if (!due.isEmpty()) {
            LOG.info("scheduler run: {} due, {} enqueued, {} skipped (overlap), {} skipped (missed), {} deferred", report.schedules(),
                    report.enqueued(), report.skippedOverlap(), report.skippedMissed(), report.deferred());
        }
        return report;
    }

    /** @return enqueued, skipped for overlap, skipped as missed, deferred (0 or 1) */
    private int[] tick(Schedule s, Instant now) {
        CronRules.Cron c = cron.parse(s.cron());
        Instant cutoff = now.minus(settings.missedGrace());
        List<Instant> onTime = new ArrayList<>();
        Instant latestMissed = null;
        int missed = 0;
        Instant t = s.nextRunAt();
        if (t.isBefore(now.minus(WALK_LIMIT))) {
            latestMissed = t;
            missed++;
            t = c.next(now.minus(WALK_LIMIT), s.timeZone()).orElse(null);
        }
        while (t != null && !t.isAfter(now)) {
            if (t.isBefore(cutoff)) {
                latestMissed = t;
                missed++;
            } else {
                onTime.add(t);
            }
            t = c.next(t, s.timeZone()).orElse(null);
        }
        Instant next = t;
        List<Instant> toRun = new ArrayList<>();
        if (latestMissed != null && s.missed() == MissedTickPolicy.RUN_ONCE) {
            toRun.add(latestMissed);
            missed--;
        }
        // Keep the latest on-time ticks when there are more than the cap (only with a tiny interval).
        toRun.addAll(onTime.subList(Math.max(0, onTime.size() - MAX_ON_TIME_TICKS), onTime.size()));
        missed += Math.max(0, onTime.size() - MAX_ON_TIME_TICKS);

        int enqueued = 0;
        int overlap = 0;
        String lastJobId = s.lastJobId();
        Instant lastTick = s.lastTickAt();
        for (Instant tick : toRun) {
            if (s.overlap() == OverlapPolicy.SKIP && inFlight(lastJobId)) {
                overlap++;
                LOG.info("schedule tick skipped, previous job in flight scheduleId={} tenant={} tick={} jobId={}", s.id(), s.tenant(), tick,
                        lastJobId);
                continue;
            }
            Optional<String> jobId = enqueue(s, tick);
            if (jobId.isEmpty()) {
                // Another instance is accepting this tick, or the broker refused it: leave the schedule at this
                // tick so a later run completes or resumes it.
                return new int[] {enqueued, overlap, 0, 1};
            }
            enqueued++;
            lastJobId = jobId.get();
            lastTick = tick;
        }
        if (missed > 0) {
            LOG.info("schedule ticks missed and skipped scheduleId={} tenant={} count={}", s.id(), s.tenant(), missed);
        }
        schedules.advance(s.id(), s.nextRunAt(), next, lastTick, lastJobId);
        return new int[] {enqueued, overlap, missed, 0};
    }

    private boolean inFlight(String jobId) {
        if (jobId == null) {
            return false;
        }
        // A record that has expired belongs to a job long finished.
        return jobs.find(jobId).map(r -> !r.status().isTerminal()).orElse(false);
    }

    private static String jobIdOf(String acceptedBody) {
        try {
            return Json.MAPPER.readTree(acceptedBody).path("jobId").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored response of a schedule tick", e);
        }
    }

    /** The tick's job id once accepted (now or by an earlier run or another instance); empty when not (yet). */
    private Optional<String> enqueue(Schedule s, Instant tick) {
        String key = "schedule:" + s.id() + ":" + tick;
        SubmitRequest request = new SubmitRequest(s.job().type(), s.job().payload(), s.job().priority());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        IdempotencyClaim claim = idempotency.claim(s.tenant(), key, IdempotencyKeys.fingerprint(request),
                JobIds.newId(now.toEpochMilli()), now, idempotencyLease, idempotencyTtl);
        if (claim instanceof IdempotencyClaim.Completed done) {
            return Optional.of(jobIdOf(done.body()));
        }
        if (!(claim instanceof IdempotencyClaim.Proceed p)) {
            // InProgress: another instance holds the tick. Mismatch cannot happen (the template is immutable).
            return Optional.empty();
        }
        JobEnvelope job = new JobEnvelope(p.jobId(), s.tenant(), request.type(), request.payload(), request.priority(), p.createdAt());
        try {
            JobRecord r = submit.submit(job, Traceparent.continueOrStart(null));
            try {
                idempotency.complete(s.tenant(), key, p.owner(), 202, JobViews.accepted(r).toString(), "/v1/jobs/" + r.jobId(), idempotencyTtl);
            } catch (StoreUnavailableException e) {
                // Accepted all the same; a later claim resumes this job id and the worker recognises the repeat.
                LOG.warn("could not complete the tick's idempotency record scheduleId={} jobId={}: {}", s.id(), r.jobId(), e.getMessage());
            }
            LOG.info("schedule tick enqueued scheduleId={} tenant={} tick={} jobId={}", s.id(), s.tenant(), tick, r.jobId());
            return Optional.of(r.jobId());
        } catch (SubmitService.NotAcceptedException e) {
            try {
                idempotency.release(s.tenant(), key, p.owner());
            } catch (StoreUnavailableException ignored) {
                // the lease lapses by itself
            }
            LOG.warn("schedule tick not accepted by the broker scheduleId={} tick={}: {}", s.id(), tick, e.getMessage());
            return Optional.empty();
        }
    }
}
