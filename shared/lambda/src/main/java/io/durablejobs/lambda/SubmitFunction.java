package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.durablejobs.adapters.admission.BrokerQueueDepths;
import io.durablejobs.adapters.admission.RedisAdmission;
import io.durablejobs.adapters.dlq.RedisBulkReplayLimiter;
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
import io.durablejobs.core.blob.BlobRoutes;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.dlq.DlqRoutes;
import io.durablejobs.core.dlq.ReplayService;
import io.durablejobs.core.ledger.StatsRoute;
import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.schedule.ScheduleRequestParser;
import io.durablejobs.core.schedule.ScheduleRoutes;
import io.durablejobs.core.schedule.ScheduleSettings;
import io.durablejobs.core.work.JobMessages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The submit function: API Gateway HTTP API (payload 2.0) in, the jobs API out. Its clients are built
 * once per execution environment in the constructor, as Lambda's init phase intends. Built from its own
 * environment (the deployed handler), it registers {@link SnapStartHooks}: with SnapStart the clients are
 * closed before the snapshot and rebuilt, with freshly read secrets, after each restore.
 *
 * <p>{@link #api} is its one wiring: every route and what it is built from, from clients and settings
 * already read and checked.
 */
public class SubmitFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** The API and its telemetry; replaced as a whole after a snapshot restore. */
    private volatile Wiring wiring;
    /** Held here because the CRaC context keeps its resources only weakly; null when the clients are given. */
    private final SnapStartHooks hooks;

    /**
     * What serves requests: the API, its telemetry, and the clients it owns with the environment they were
     * built from (both null when the clients are given).
     */
    record Wiring(JobsApi api, FunctionTelemetry telemetry, PlatformClients owned, Map<String, String> env) {
    }

    /** The deployed handler: its own environment, secrets resolved from Secrets Manager. */
    public SubmitFunction() {
        this(() -> SecretsManagerFetcher.resolve(Env.current()));
    }

    /**
     * Wires the function from its environment and registers the SnapStart hooks.
     *
     * @param environment the function's environment with its secrets resolved; asked again after a restore,
     *                    since secrets (broker and Redis passwords, API keys) may have rotated since the snapshot
     */
    protected SubmitFunction(Supplier<Map<String, String>> environment) {
        this.wiring = connect(environment.get());
        this.hooks = new SnapStartHooks(this, environment);
        this.hooks.register();
    }

    /** Over clients someone else owns (tests, benchmarks): they stay open when the function is dropped. */
    public SubmitFunction(PlatformClients clients, SubmitSettings settings) {
        this.wiring = new Wiring(api(clients, settings), clients.telemetry(), null, null);
        this.hooks = null;
    }

    static Wiring connect(Map<String, String> env) {
        FunctionStart<SubmitSettings> start = FunctionStart.connect(env, "submit", (s, registry) -> SubmitSettings.read(s));
        PlatformClients clients = start.clients();
        try {
            return new Wiring(api(clients, start.settings()), clients.telemetry(), clients, env);
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
    }

    Wiring wiring() {
        return wiring;
    }

    /** The SnapStart hooks; null when the clients were given (tests, the local host). */
    SnapStartHooks hooks() {
        return hooks;
    }

    void rewire(Wiring next) {
        this.wiring = next;
    }

    /** The jobs API over {@code c}: submit, read, cancel and list jobs, and the {@link #routes} beside them. */
    public static JobsApi api(PlatformClients c, SubmitSettings settings) {
        JobsConfig cfg = c.config();
        DelayLimits delays = settings.delays();
        JobIndex index = new RedisJobIndex(c.redis().commands(), cfg.namespace(), c.clock());
        // A listing entry lives as long as the longest-lived record: a job delayed the most, then kept the status TTL.
        SubmitService submit = new SubmitService(c.store(), c.observedPublisher(), new JobMessages(c.topology()), cfg.statusTtl(), c.clock(),
                c.ledger(), index, cfg.statusTtl().plus(delays.maxDelay()));
        return new JobsApi(cfg.apiKeys(), cfg.maxBodyBytes(), new SubmitRequestParser(c.registry(), delays, c.clock()), submit, c.store(),
                c.idempotency(), new JobsApi.IdempotencySettings(cfg.idempotencyTtl(), cfg.idempotencyLease()), c.clock(),
                routes(c, settings), loadControl(c, settings.admission()), new JobCancellation(c.store(), c.ledger(), cfg.statusTtl()),
                new JobListing(index, c.store()));
    }

    /** The API's routes beyond /v1/jobs: blobs, dead letters (inspect, replay, discard), the tenant's ledger, schedules. */
    static List<TenantRoute> routes(PlatformClients c, SubmitSettings settings) {
        List<TenantRoute> routes = new ArrayList<>();
        routes.add(new BlobRoutes(c.blobs(), BlobRoutes.DEFAULT_MAX_SERVED_BYTES, settings.maxUploadBytes()));
        ReplayService replays = new ReplayService(c.deadLetters(), c.store(), c.observedPublisher(), new JobMessages(c.topology()),
                c.ledger(), c.config().statusTtl(), c.clock());
        routes.add(new DlqRoutes(c.deadLetters(), replays,
                new RedisBulkReplayLimiter(c.redis().commands(), c.config().namespace(), settings.bulkReplayInterval()), settings.bulkReplayMax()));
        routes.add(new StatsRoute(c.ledger()));
        routes.add(scheduleRoutes(c, settings.schedules()));
        return routes;
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

    /**
     * The entry point Lambda calls (the runtime picks the overload with the most parameters): the same
     * request as {@link #handleRequest(APIGatewayV2HTTPEvent, Context)}, its JSON read and written with the
     * function's own Jackson.
     */
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayMapping.writeResponse(handleRequest(ApiGatewayMapping.readEvent(input), context), output);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Wiring w = wiring;
        if (w == null) {
            throw new IllegalStateException("the submit function's clients are closed for a snapshot and were not re-opened");
        }
        return ApiGatewayMapping.toResponse(new ObservedApi(w.api(), w.telemetry()).handle(ApiGatewayMapping.toRequest(event)));
    }
}
