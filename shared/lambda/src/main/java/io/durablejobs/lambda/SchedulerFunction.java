package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.schedule.CronUtilsRules;
import io.durablejobs.adapters.schedule.RedisScheduleStore;
import io.durablejobs.core.api.SubmitService;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.schedule.ScheduleSettings;
import io.durablejobs.core.schedule.ScheduleTicker;
import io.durablejobs.core.work.JobMessages;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The scheduler function: invoked every minute (an EventBridge rule on AWS, the local host's schedule
 * trigger locally) with the scheduled event, which it does not need beyond being woken; it enqueues the
 * jobs of the due schedules through the same idempotency store and submit path as the API. Any number of
 * instances may run the same minute: a tick still enqueues one job.
 */
public class SchedulerFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final ScheduleTicker ticker;

    /** The deployed handler: its own environment, secrets resolved from Secrets Manager. */
    public SchedulerFunction() {
        this(FunctionStart.connect(SecretsManagerFetcher.resolve(Env.current()), "scheduler", (s, registry) -> ScheduleSettings.read(s)));
    }

    private SchedulerFunction(FunctionStart<ScheduleSettings> start) {
        this(start.clients(), start.settings(), Clock.systemUTC());
    }

    /**
     * Over clients someone else owns (tests).
     *
     * @param clock the scheduler's idea of now: tests move it to tick a given minute
     */
    public SchedulerFunction(PlatformClients c, ScheduleSettings settings, Clock clock) {
        this.ticker = ticker(c, settings, clock);
    }

    static ScheduleTicker ticker(PlatformClients c, ScheduleSettings settings, Clock clock) {
        JobsConfig cfg = c.config();
        SubmitService submit = new SubmitService(c.store(), c.observedPublisher(), new JobMessages(c.topology()), cfg.statusTtl(), clock,
                c.ledger());
        return new ScheduleTicker(new RedisScheduleStore(c.redis().commands(), new RedisKeys(cfg.namespace())), new CronUtilsRules(),
                c.idempotency(), submit, c.store(), settings, cfg.idempotencyLease(), cfg.idempotencyTtl(), clock);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        ScheduleTicker.Report r = ticker.run();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schedules", r.schedules());
        out.put("enqueued", r.enqueued());
        out.put("skippedOverlap", r.skippedOverlap());
        out.put("skippedMissed", r.skippedMissed());
        out.put("deferred", r.deferred());
        return out;
    }
}
