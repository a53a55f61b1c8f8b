package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.durablejobs.adapters.admission.BrokerQueueDepths;
import io.durablejobs.adapters.admission.RedisAdmission;
import io.durablejobs.adapters.redis.RedisJobIndex;
import io.durablejobs.core.admission.AdmissionSettings;
import io.durablejobs.core.api.DelayLimits;
import io.durablejobs.core.api.JobCancellation;
import io.durablejobs.core.api.JobListing;
import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.api.JobsApi;
import io.durablejobs.core.blob.BlobRoutes;
import io.durablejobs.core.api.LoadControl;
import io.durablejobs.core.api.TenantRoute;
import io.durablejobs.core.api.SubmitRequestParser;
import io.durablejobs.core.api.SubmitService;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.config.JobsConfig;
import io.durablejobs.core.type.JobTypeRegistry;
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
 */
public class SubmitFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** The API and its telemetry; replaced as a whole after a snapshot restore. */
    private volatile Wiring wiring;
    /** Held here because the CRaC context keeps its resources only weakly; null when the clients are given. */
    private final SnapStartHooks hooks;

    /**
     * What serves requests: the API, its telemetry (null when built from a bare JobsApi, in tests), and the
     * clients it owns with the environment they were built from (null when the clients are given).
     */
    record Wiring(JobsApi api, FunctionTelemetry telemetry, PlatformClients owned, Map<String, String> env) {
    }

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

    static Wiring connect(Map<String, String> env) {
        PlatformClients clients = PlatformClients.connect(JobsConfig.from(env), JobTypeRegistry.fromServiceLoader(),
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "submit"));
        try {
            return new Wiring(api(clients, env), clients.telemetry(), clients, env);
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
    }

    public SubmitFunction(PlatformClients clients) {
        this(clients, Env.current());
    }

    public SubmitFunction(PlatformClients clients, Map<String, String> env) {
        this(new Wiring(api(clients, env), clients.telemetry(), null, null));
    }

    public SubmitFunction(JobsApi api) {
        this(new Wiring(api, null, null, null));
    }

    private SubmitFunction(Wiring wiring) {
        this.wiring = wiring;
        this.hooks = null;
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

    public static JobsApi api(PlatformClients c, Map<String, String> env) {
        JobsConfig cfg = c.config();
        DelayLimits delays = DelayLimits.from(env);
        // A listing entry lives as long as the longest-lived record: a job delayed the most, then kept the status TTL.
        JobIndex index = new RedisJobIndex(c.redis().commands(), cfg.namespace(), c.clock());
        SubmitService submit = new SubmitService(c.store(), observedPublisher(c), new JobMessages(c.topology()), cfg.statusTtl(), c.clock(),
                c.ledger(), index, cfg.statusTtl().plus(delays.maxDelay()));
        return new JobsApi(cfg.apiKeys(), cfg.maxBodyBytes(), new SubmitRequestParser(c.registry(), delays, c.clock(), plainHttpCallbacks(env)), submit, c.store(),
                c.idempotency(), new JobsApi.IdempotencySettings(cfg.idempotencyTtl(), cfg.idempotencyLease()), c.clock(),
                routes(c), loadControl(c, AdmissionSettings.from(env)), new JobCancellation(c.store(), c.ledger(), cfg.statusTtl()),
                new JobListing(index, c.store()));
    }

    /**
     * A {@code callbackUrl} may be plain http only where webhooks may reach private networks (the same switch
     * as {@code webhook.deliver}'s, which delivers it): a receiver on the developer's machine.
     */
    static boolean plainHttpCallbacks(Map<String, String> env) {
        io.durablejobs.core.config.Settings s = new io.durablejobs.core.config.Settings(env);
        boolean allowed = s.bool("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", false);
        s.check();
        return allowed;
    }

    /** The API's routes beyond /v1/jobs. */
    static List<TenantRoute> routes(PlatformClients c) {
        List<TenantRoute> routes = new ArrayList<>();
        routes.add(new BlobRoutes(c.blobs(), BlobRoutes.DEFAULT_MAX_SERVED_BYTES, BlobRoutes.maxUploadBytes(Env.current())));
        // Dead letters (inspect, replay, discard) and the tenant's ledger.
        io.durablejobs.core.config.Settings s = new io.durablejobs.core.config.Settings(Env.current());
        java.time.Duration bulkInterval = s.duration("JOBS_DLQ_BULK_REPLAY_INTERVAL", "10s");
        int bulkMax = s.integer("JOBS_DLQ_BULK_REPLAY_MAX", 1000, 1, 100_000);
        s.check();
        var replays = new io.durablejobs.core.dlq.ReplayService(c.deadLetters(), c.store(), observedPublisher(c), new JobMessages(c.topology()),
                c.ledger(), c.config().statusTtl(), c.clock());
        routes.add(new io.durablejobs.core.dlq.DlqRoutes(c.deadLetters(), replays,
                new io.durablejobs.adapters.dlq.RedisBulkReplayLimiter(c.redis().commands(), c.config().namespace(), bulkInterval), bulkMax));
        routes.add(new io.durablejobs.core.ledger.StatsRoute(c.ledger()));
        routes.add(scheduleRoutes(c, io.durablejobs.core.schedule.ScheduleSettings.from(Env.current())));
        return routes;
    }

    /** Recurring schedules: templates validated by the same parser as a submit. */
    static TenantRoute scheduleRoutes(PlatformClients c, io.durablejobs.core.schedule.ScheduleSettings settings) {
        var cron = new io.durablejobs.adapters.schedule.CronUtilsRules();
        return new io.durablejobs.core.schedule.ScheduleRoutes(
                new io.durablejobs.adapters.schedule.RedisScheduleStore(c.redis().commands(), new io.durablejobs.adapters.redis.RedisKeys(c.config().namespace())),
                new io.durablejobs.core.schedule.ScheduleRequestParser(cron, new SubmitRequestParser(c.registry()), settings.minInterval()),
                cron, settings, c.config().maxBodyBytes(), c.clock());
    }

    /** Publishes with a span per message and dead-letter counts, so replays are traced and counted like submits. */
    static io.durablejobs.core.port.JobPublisher observedPublisher(PlatformClients c) {
        return new io.durablejobs.core.metrics.ObservedPublisher(c.publisher(), c.topology(), c.telemetry().tracing(), c.telemetry().metrics());
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
        if (w.telemetry() == null) {
            return ApiGatewayMapping.toResponse(w.api().handle(ApiGatewayMapping.toRequest(event)));
        }
        return ApiGatewayMapping.toResponse(new ObservedApi(w.api(), w.telemetry()).handle(ApiGatewayMapping.toRequest(event)));
    }
}
