package io.durablejobs.lambda;

import io.durablejobs.adapters.admission.BrokerQueueDepths;
import io.durablejobs.adapters.admission.RedisAdmission;
import io.durablejobs.adapters.redis.RedisAsync;
import io.durablejobs.adapters.redis.RedisJobIndex;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.adapters.schedule.CronUtilsRules;
import io.durablejobs.adapters.schedule.RedisScheduleStore;
import io.durablejobs.core.admission.AdmissionSettings;
import io.durablejobs.core.api.DelayLimits;
import io.durablejobs.core.api.JobCancellation;
import io.durablejobs.core.api.JobListing;
import io.durablejobs.core.api.JobsApi;
import io.durablejobs.core.api.LoadControl;
import io.durablejobs.core.api.SubmitRequestParser;
import io.durablejobs.core.api.SubmitService;
import io.durablejobs.core.api.TenantRoute;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.ledger.StatsRoute;
import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.schedule.ScheduleRequestParser;
import io.durablejobs.core.schedule.ScheduleRoutes;
import io.durablejobs.core.schedule.ScheduleSettings;
import io.durablejobs.core.work.JobMessages;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The submit function: the jobs API (submit, read, cancel and list jobs), the tenant's ledger and recurring
 * schedules, over the broker and Redis. The routes backed by the blob and dead-letter stores are
 * {@link StoreApiFunction}'s, so this function carries no S3 client (nor the SDK's S3 classes in its jar) and
 * starts without building one. See {@link ApiFunction} for its life cycle.
 *
 * <p>{@link #api} is its one wiring: every route and what it is built from, from clients and settings
 * already read and checked.
 */
public class SubmitFunction extends ApiFunction {

    /** The deployed handler: its own environment, secrets resolved from Secrets Manager. */
    public SubmitFunction() {
        this(() -> SecretsManagerFetcher.resolve(Env.current()));
    }

    /** @see ApiFunction#ApiFunction(Supplier) */
    protected SubmitFunction(Supplier<Map<String, String>> environment) {
        super(environment);
    }

    /** Over clients someone else owns (tests, benchmarks): they stay open when the function is dropped. */
    public SubmitFunction(PlatformClients clients, SubmitSettings settings) {
        super(clients, api(clients, settings));
    }

    @Override
    Wiring connect(Map<String, String> env) {
        FunctionStart<SubmitSettings> start = FunctionStart.connect(env, "submit", (s, registry) -> SubmitSettings.read(s), ApiGatewayMapping::prepare);
        return owned(start.clients(), env, c -> api(c, start.settings()));
    }

    /** A job that cannot exist: auth, routing, a Redis read and the problem+json writer. */
    @Override
    String primingPath(String jobId) {
        return "/v1/jobs/" + jobId;
    }

    /** The jobs API over {@code c}: submit, read, cancel and list jobs, and the {@link #routes} beside them. */
    public static JobsApi api(PlatformClients c, SubmitSettings settings) {
        JobsConfig cfg = c.config();
        DelayLimits delays = settings.delays();
        JobIndex index = new RedisJobIndex(c.redis().commands(), cfg.namespace(), c.clock());
        // A listing entry lives as long as the longest-lived record: a job delayed the most, then kept the status TTL.
        SubmitService submit = new SubmitService(c.store(), c.observedPublisher(), new JobMessages(c.topology()), cfg.statusTtl(), c.clock(),
                c.ledger(), index, cfg.statusTtl().plus(delays.maxDelay()), RedisAsync.group(c.redis().commands()));
        return new JobsApi(cfg.apiKeys(), cfg.maxBodyBytes(), new SubmitRequestParser(c.registry(), delays, c.clock(), settings.plainHttpCallbacks()), submit, c.store(),
                c.idempotency(), new JobsApi.IdempotencySettings(cfg.idempotencyTtl(), cfg.idempotencyLease()), c.clock(),
                routes(c, settings), loadControl(c, settings.admission()), new JobCancellation(c.store(), c.ledger(), cfg.statusTtl()),
                new JobListing(index, c.store()));
    }

    /** The API's routes beyond /v1/jobs that this function serves: the tenant's ledger, schedules. */
    static List<TenantRoute> routes(PlatformClients c, SubmitSettings settings) {
        return List.of(new StatsRoute(c.ledger()), scheduleRoutes(c, settings.schedules()));
    }

    /** Recurring schedules: templates validated by the same parser as a submit. */
    static TenantRoute scheduleRoutes(PlatformClients c, ScheduleSettings settings) {
        CronUtilsRules cron = new CronUtilsRules();
        return new ScheduleRoutes(new RedisScheduleStore(c.redis().commands(), new RedisKeys(c.config().namespace())),
                new ScheduleRequestParser(cron, new SubmitRequestParser(c.registry()), settings.minInterval()),
                cron, settings, c.config().maxBodyBytes(), c.clock());
    }

    static LoadControl loadControl(PlatformClients c, AdmissionSettings s) {
        return new LoadControl(new RedisAdmission(c.redis().commands(), c.config().namespace(), s.tenant(), s.global()),
                new BrokerQueueDepths(c.amqp(), c.topology(), s.depthCacheFor()), s.shedQueueDepth());
    }
}
