package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.durablejobs.adapters.admission.BrokerQueueDepths;
import io.durablejobs.adapters.admission.RedisAdmission;
import io.durablejobs.core.admission.AdmissionSettings;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The submit function: API Gateway HTTP API (payload 2.0) in, the jobs API out. Its clients are built
 * once per execution environment in the constructor, as Lambda's init phase intends.
 */
public class SubmitFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final JobsApi api;
    /** Spans and metrics of the API (issue 6); null when built from a bare JobsApi (tests). */
    private final FunctionTelemetry telemetry;

    public SubmitFunction() {
        this(SecretsManagerFetcher.resolve(Env.current()));
    }

    /** @param env the function's environment with its secrets resolved (read once, at init) */
    private SubmitFunction(Map<String, String> env) {
        this(PlatformClients.connect(JobsConfig.from(env), JobTypeRegistry.fromServiceLoader(),
                env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "submit")), env);
    }

    public SubmitFunction(PlatformClients clients) {
        this(clients, Env.current());
    }

    public SubmitFunction(PlatformClients clients, Map<String, String> env) {
        this(api(clients, env), clients.telemetry());
    }

    public SubmitFunction(JobsApi api) {
        this(api, null);
    }

    private SubmitFunction(JobsApi api, FunctionTelemetry telemetry) {
        this.api = api;
        this.telemetry = telemetry;
    }

    public static JobsApi api(PlatformClients c, Map<String, String> env) {
        JobsConfig cfg = c.config();
        SubmitService submit = new SubmitService(c.store(), observedPublisher(c), new JobMessages(c.topology()), cfg.statusTtl(), c.clock(),
                c.ledger());
        return new JobsApi(cfg.apiKeys(), cfg.maxBodyBytes(), new SubmitRequestParser(c.registry()), submit, c.store(),
                c.idempotency(), new JobsApi.IdempotencySettings(cfg.idempotencyTtl(), cfg.idempotencyLease()), c.clock(),
                routes(c), loadControl(c, AdmissionSettings.from(env)));
    }

    /** The API's routes beyond /v1/jobs. */
    static List<TenantRoute> routes(PlatformClients c) {
        List<TenantRoute> routes = new ArrayList<>();
        routes.add(new BlobRoutes(c.blobs()));
        // Dead letters and the ledger (issue 6).
        io.durablejobs.core.config.Settings s = new io.durablejobs.core.config.Settings(Env.current());
        java.time.Duration bulkInterval = s.duration("JOBS_DLQ_BULK_REPLAY_INTERVAL", "10s");
        int bulkMax = s.integer("JOBS_DLQ_BULK_REPLAY_MAX", 1000, 1, 100_000);
        s.check();
        var replays = new io.durablejobs.core.dlq.ReplayService(c.deadLetters(), c.store(), observedPublisher(c), new JobMessages(c.topology()),
                c.ledger(), c.config().statusTtl(), c.clock());
        routes.add(new io.durablejobs.core.dlq.DlqRoutes(c.deadLetters(), replays,
                new io.durablejobs.adapters.dlq.RedisBulkReplayLimiter(c.redis().commands(), c.config().namespace(), bulkInterval), bulkMax));
        routes.add(new io.durablejobs.core.ledger.StatsRoute(c.ledger()));
        return routes;
    }

    /** Publishes with a span per message and dead-letter counts (issue 6). */
    static io.durablejobs.core.port.JobPublisher observedPublisher(PlatformClients c) {
        return new io.durablejobs.core.metrics.ObservedPublisher(c.publisher(), c.topology(), c.telemetry().tracing(), c.telemetry().metrics());
    }

    static LoadControl loadControl(PlatformClients c, AdmissionSettings s) {
        return new LoadControl(new RedisAdmission(c.redis().commands(), c.config().namespace(), s.tenant(), s.global()),
                new BrokerQueueDepths(c.amqp(), c.topology(), s.depthCacheFor()), s.shedQueueDepth());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        if (telemetry == null) {
            return ApiGatewayMapping.toResponse(api.handle(ApiGatewayMapping.toRequest(event)));
        }
        return ApiGatewayMapping.toResponse(new ObservedApi(api, telemetry).handle(ApiGatewayMapping.toRequest(event)));
    }
}
