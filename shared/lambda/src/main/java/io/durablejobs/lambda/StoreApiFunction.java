package io.durablejobs.lambda;

import io.durablejobs.adapters.dlq.RedisBulkReplayLimiter;
import io.durablejobs.core.api.JobsApi;
import io.durablejobs.core.api.TenantRoute;
import io.durablejobs.core.blob.BlobRoutes;
import io.durablejobs.core.config.Env;
import io.durablejobs.core.dlq.DlqRoutes;
import io.durablejobs.core.dlq.ReplayService;
import io.durablejobs.core.work.JobMessages;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The store API function: the public routes backed by the blob and dead-letter stores (S3 on AWS), apart
 * from {@link SubmitFunction} so that only this function carries the S3 client and pays for building it.
 * <ul>
 *   <li>{@code PUT/GET /v1/blobs/{key+}}: a job's input uploaded, an output served or redirected to;
 *   <li>{@code /v1/dlq...}: dead letters listed, read, replayed (one, or in bulk) and discarded. A replay
 *       publishes the job again, so the function reaches the broker and Redis too.
 * </ul>
 * Same authentication and problem+json as the submit function ({@link JobsApi#ofRoutes}). Both stores are
 * opened at init by wiring the routes, so a bad store setting stops the function at start. See
 * {@link ApiFunction} for its life cycle.
 */
public class StoreApiFunction extends ApiFunction {

    /** The deployed handler: its own environment, secrets resolved from Secrets Manager. */
    public StoreApiFunction() {
        this(() -> SecretsManagerFetcher.resolve(Env.current()));
    }

    /** @see ApiFunction#ApiFunction(Supplier) */
    protected StoreApiFunction(Supplier<Map<String, String>> environment) {
        super(environment);
    }

    /** Over clients someone else owns (tests, benchmarks): they stay open when the function is dropped. */
    public StoreApiFunction(PlatformClients clients, StoreApiSettings settings) {
        super(clients, api(clients, settings));
    }

    @Override
    Wiring connect(Map<String, String> env) {
        FunctionStart<StoreApiSettings> start = FunctionStart.connect(env, "store-api", (s, registry) -> StoreApiSettings.read(s), ApiGatewayMapping::prepare);
        return owned(start.clients(), env, c -> api(c, start.settings()));
    }

    /** A dead letter that cannot exist: auth, routing, a read of the dead-letter store and the problem+json writer. */
    @Override
    String primingPath(String jobId) {
        return "/v1/dlq/" + jobId;
    }

    /** The store routes over {@code c}: blobs, then dead letters (inspect, replay, discard). */
    public static JobsApi api(PlatformClients c, StoreApiSettings settings) {
        return JobsApi.ofRoutes(c.config().apiKeys(), routes(c, settings));
    }

    static List<TenantRoute> routes(PlatformClients c, StoreApiSettings settings) {
        BlobRoutes blobs = new BlobRoutes(c.blobs(), BlobRoutes.DEFAULT_MAX_SERVED_BYTES, settings.maxUploadBytes());
        ReplayService replays = new ReplayService(c.deadLetters(), c.store(), c.observedPublisher(), new JobMessages(c.topology()),
                c.ledger(), c.config().statusTtl(), c.clock());
        DlqRoutes deadLetters = new DlqRoutes(c.deadLetters(), replays,
                new RedisBulkReplayLimiter(c.redis().commands(), c.config().namespace(), settings.bulkReplayInterval()),
                settings.bulkReplayMax());
        return List.of(blobs, deadLetters);
    }
}
