package io.durablejobs.adapters.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.durablejobs.core.schedule.CronRules;
import java.time.ZonedDateTime;

/**
 * Cron expressions through cron-utils, in the classic five-field Unix form (minute hour day-of-month month
 * day-of-week) that crontab, Kubernetes CronJobs and most schedulers accept. Next ticks are computed on the
 * schedule's wall clock, so "0 9 * * *" in Europe/Berlin stays at 09:00 across daylight-saving changes.
 */
public final class CronUtilsRules implements CronRules {
    private final CronParser parser = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    @Override
    public Cron parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty expression");
        }
        com.cronutils.model.Cron parsed; // cron-utils' Cron; the simple name is CronRules.Cron, which parse returns
        try {
            parsed = parser.parse(expression);
            parsed.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (expected five fields: minute hour day-of-month month day-of-week)", e);
        }
        ExecutionTime times = ExecutionTime.forCron(parsed);
        return (after, zone) -> times.nextExecution(ZonedDateTime.ofInstant(after, zone)).map(ZonedDateTime::toInstant);
    }
}
