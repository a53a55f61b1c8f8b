package io.durablejobs.core.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.core.api.SubmitRequestParser;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.FieldError;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a {@code POST /v1/schedules} body at the edge, every problem with its field path: the cron
 * expression (and that its ticks are no closer than the tenant's minimum interval), the time zone, the
 * policies, and the job template through the same parser as {@code POST /v1/jobs}, so a template a submit
 * would refuse is refused here, when the schedule is made, not at its first tick.
 */
public final class ScheduleRequestParser {
    private static final Set<String> FIELDS = Set.of("cron", "timeZone", "job", "overlap", "missedTicks");
    /** How far ahead the minimum interval is checked: a week covers every pattern of minute, hour and weekday fields. */
    private static final Duration LOOKAHEAD = Duration.ofDays(8);
    private static final int MAX_SAMPLES = 20_000;

    private final CronRules cron;
    private final SubmitRequestParser jobs;
    private final Duration minInterval;

    public ScheduleRequestParser(CronRules cron, SubmitRequestParser jobs, Duration minInterval) {
        this.cron = cron;
        this.jobs = jobs;
        this.minInterval = minInterval;
    }

    /** A valid new schedule's definition (the store assigns nothing; the route adds id, tenant and times). */
    public record Draft(String cron, ZoneId timeZone, JobTemplate job, OverlapPolicy overlap, MissedTickPolicy missed,
                        CronRules.Cron parsed) {
    }

    /** Either a draft or the problems that make it invalid. */
    public record Parsed(Draft draft, List<FieldError> errors, String syntaxError) {
    }

    public Parsed parse(byte[] body, Instant now) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return new Parsed(null, List.of(), "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Parsed(null, List.of(), "unreadable body");
        }
        if (root == null || root.isMissingNode()) {
            return new Parsed(null, List.of(), "the body is empty; expected a JSON object");
        }
        if (!root.isObject()) {
            return new Parsed(null, List.of(new FieldError("(body)", "must be a JSON object")), null);
        }
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                errors.add(new FieldError(f, "unknown field; allowed: " + String.join(", ", FIELDS.stream().sorted().toList())));
            }
        }
        ZoneId zone = zone(root.get("timeZone"), errors);
        CronRules.Cron parsed = cron(root.get("cron"), errors);
        if (parsed != null && zone != null) {
            checkInterval(parsed, zone, now, errors);
        }
        OverlapPolicy overlap = OverlapPolicy.SKIP;
        JsonNode o = root.get("overlap");
        if (o != null && !o.isNull()) {
            Optional<OverlapPolicy> p = o.isTextual() ? OverlapPolicy.fromWire(o.asText()) : Optional.empty();
            if (p.isEmpty()) {
                errors.add(new FieldError("overlap", "must be \"skip\" (no tick while the previous job is in flight) or \"allow\""));
            } else {
                overlap = p.get();
            }
        }
        MissedTickPolicy missed = MissedTickPolicy.RUN_ONCE;
        JsonNode m = root.get("missedTicks");
        if (m != null && !m.isNull()) {
            Optional<MissedTickPolicy> p = m.isTextual() ? MissedTickPolicy.fromWire(m.asText()) : Optional.empty();
            if (p.isEmpty()) {
                errors.add(new FieldError("missedTicks", "must be \"run_once\" (one job for all ticks missed while down) or \"skip\""));
            } else {
                missed = p.get();
            }
        }
        JobTemplate job = job(root.get("job"), errors);
        if (!errors.isEmpty()) {
            return new Parsed(null, errors, null);
        }
        return new Parsed(new Draft(root.get("cron").asText().trim(), zone, job, overlap, missed, parsed), List.of(), null);
    }

    private CronRules.Cron cron(JsonNode n, List<FieldError> errors) {
        if (n == null || n.isNull()) {
            errors.add(new FieldError("cron", "is required, e.g. \"*/15 * * * *\" (minute hour day-of-month month day-of-week)"));
            return null;
        }
        if (!n.isTextual() || n.asText().length() > 200) {
            errors.add(new FieldError("cron", "must be a string of at most 200 characters"));
            return null;
        }
        try {
            return cron.parse(n.asText().trim());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("cron", "invalid cron expression: " + e.getMessage()));
            return null;
        }
    }

    private static ZoneId zone(JsonNode n, List<FieldError> errors) {
        if (n == null || n.isNull()) {
            return ZoneId.of("UTC");
        }
        if (!n.isTextual()) {
            errors.add(new FieldError("timeZone", "must be an IANA time zone name such as \"Europe/Berlin\" or \"UTC\""));
            return null;
        }
        try {
            return ZoneId.of(n.asText());
        } catch (DateTimeException e) {
            errors.add(new FieldError("timeZone", "unknown time zone '" + clip(n.asText()) + "'; use an IANA name such as \"Europe/Berlin\""));
            return null;
        }
    }

    /** Ticks closer than the minimum interval anywhere in the coming week are refused (e.g. "0,1 * * * *" under 5m). */
    private void checkInterval(CronRules.Cron c, ZoneId zone, Instant now, List<FieldError> errors) {
        Optional<Instant> first = c.next(now, zone);
        if (first.isEmpty()) {
            errors.add(new FieldError("cron", "never fires"));
            return;
        }
        Instant prev = first.get();
        Instant end = now.plus(LOOKAHEAD);
        for (int i = 0; i < MAX_SAMPLES && prev.isBefore(end); i++) {
            Optional<Instant> next = c.next(prev, zone);
            if (next.isEmpty()) {
                return;
            }
            Duration gap = Duration.between(prev, next.get());
            if (gap.compareTo(minInterval) < 0) {
                errors.add(new FieldError("cron", "fires " + gap.toSeconds() + " s apart (at " + prev + " and " + next.get()
                        + "); the shortest interval allowed is " + minInterval.toSeconds() + " s"));
                return;
            }
            prev = next.get();
        }
    }

    private JobTemplate job(JsonNode n, List<FieldError> errors) {
        if (n == null || n.isNull()) {
            errors.add(new FieldError("job", "is required: {\"type\", \"payload\", \"priority\"?}, as for POST /v1/jobs"));
            return null;
        }
        if (!n.isObject()) {
            errors.add(new FieldError("job", "must be a JSON object"));
            return null;
        }
        SubmitRequestParser.Parsed p;
        try {
            p = jobs.parse(Json.MAPPER.writeValueAsBytes(n));
        } catch (JsonProcessingException e) {
            errors.add(new FieldError("job", "unreadable"));
            return null;
        }
        if (!p.errors().isEmpty()) {
            p.errors().forEach(e -> errors.add(new FieldError("job." + e.field(), e.message())));
            return null;
        }
        if (p.request().callbackUrl() != null) {
            // A template keeps type, payload and priority only; refused rather than silently dropped.
            errors.add(new FieldError("job.callbackUrl", "is not kept by a schedule; subscribe to the completion events instead"));
            return null;
        }
        return new JobTemplate(p.request().type(), p.request().payload(), p.request().priority());
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
