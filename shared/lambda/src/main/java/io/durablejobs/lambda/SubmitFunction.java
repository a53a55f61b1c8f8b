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
        this(api(clients, env));
    }

    public SubmitFunction(JobsApi api) {
        this.api = api;
    }

    public static JobsApi api(PlatformClients c, Map<String, String> env) {
        JobsConfig cfg = c.config();
        SubmitService submit = new SubmitService(c.store(), c.publisher(), new JobMessages(c.topology()), cfg.statusTtl(), c.clock());
        return new JobsApi(cfg.apiKeys(), cfg.maxBodyBytes(), new SubmitRequestParser(c.registry()), submit, c.store(),
                c.idempotency(), new JobsApi.IdempotencySettings(cfg.idempotencyTtl(), cfg.idempotencyLease()), c.clock(),
                routes(c), loadControl(c, AdmissionSettings.from(env)));
    }

    /** The API's routes beyond /v1/jobs. */
    static List<TenantRoute> routes(PlatformClients c) {
        List<TenantRoute> routes = new ArrayList<>();
        routes.add(new BlobRoutes(c.blobs()));
        return routes;
    }

    static LoadControl loadControl(PlatformClients c, AdmissionSettings s) {
        return new LoadControl(new RedisAdmission(c.redis().commands(), c.config().namespace(), s.tenant(), s.global()),
                new BrokerQueueDepths(c.amqp(), c.topology(), s.depthCacheFor()), s.shedQueueDepth());
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayMapping.toResponse(api.handle(ApiGatewayMapping.toRequest(event)));
    }
}
