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
import io.durablejobs.core.type.JobTypeRegistry;
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

    public SchedulerFunction() {
        this(SecretsManagerFetcher.resolve(Env.current()));
    }

    private SchedulerFunction(Map<String, String> env) {
        this(PlatformClients.connect(JobsConfig.from(env), JobTypeRegistry.fromServiceLoader(),
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "scheduler")), env, Clock.systemUTC());
    }

    /** @param clock the scheduler's idea of now: tests move it to tick a given minute */
    public SchedulerFunction(PlatformClients c, Map<String, String> env, Clock clock) {
        this(ticker(c, ScheduleSettings.from(env), clock));
    }

    public SchedulerFunction(ScheduleTicker ticker) {
        this.ticker = ticker;
    }

    public static ScheduleTicker ticker(PlatformClients c, ScheduleSettings settings, Clock clock) {
        JobsConfig cfg = c.config();
        SubmitService submit = new SubmitService(c.store(), SubmitFunction.observedPublisher(c), new JobMessages(c.topology()),
                cfg.statusTtl(), clock, c.ledger());
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
