package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import io.durablejobs.core.api.JobsApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An http function: API Gateway HTTP API (payload 2.0) in, part of the public API out. The API is split by
 * route over functions so that each carries only the clients its routes use: {@link SubmitFunction} (jobs,
 * stats, schedules) and {@link StoreApiFunction} (blobs and dead letters, over S3 on AWS). Its clients are
 * built once per execution environment in the constructor, as Lambda's init phase intends. Built from its own
 * environment (the deployed handler), it registers {@link SnapStartHooks}: with SnapStart the clients are
 * closed before the snapshot and rebuilt, with freshly read secrets, after each restore.
 */
public abstract class ApiFunction implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
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

    /**
     * Wires the function from its environment and registers the SnapStart hooks.
     *
     * @param environment the function's environment with its secrets resolved; asked again after a restore,
     *                    since secrets (broker and Redis passwords, API keys) may have rotated since the snapshot
     */
    ApiFunction(Supplier<Map<String, String>> environment) {
        this.wiring = connect(environment.get());
        this.hooks = new SnapStartHooks(this, environment);
        this.hooks.register();
    }

    /** Over clients someone else owns (tests, benchmarks): they stay open when the function is dropped. */
    ApiFunction(PlatformClients clients, JobsApi api) {
        this.wiring = new Wiring(api, clients.telemetry(), null, null);
        this.hooks = null;
    }

    /** Reads the function's settings in {@code env}, connects its clients and wires its API over them. */
    abstract Wiring connect(Map<String, String> env);

    /**
     * The path of an authenticated GET that exercises this function's routes and their stores without
     * changing anything (a resource that cannot exist): the request primed before a SnapStart snapshot.
     */
    abstract String primingPath(String jobId);

    /** Wires {@code api} over clients just connected; they are closed if the wiring fails. */
    static Wiring owned(PlatformClients clients, Map<String, String> env, java.util.function.Function<PlatformClients, JobsApi> api) {
        try {
            return new Wiring(api.apply(clients), clients.telemetry(), clients, env);
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

    /**
     * The entry point Lambda calls (the runtime picks the overload with the most parameters): the same
     * request as {@link #handleRequest(APIGatewayV2HTTPEvent, Context)}, its JSON read and written with the
     * function's own Jackson, streamed straight to and from the API's request and response types.
     */
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ApiGatewayMapping.writeResponse(handle(ApiGatewayMapping.readRequest(input)), output);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGatewayMapping.toResponse(handle(ApiGatewayMapping.toRequest(event)));
    }

    private ApiResponse handle(ApiRequest request) {
        Wiring w = wiring;
        if (w == null) {
            throw new IllegalStateException("the function's clients are closed for a snapshot and were not re-opened");
        }
        return new ObservedApi(w.api(), w.telemetry()).handle(request);
    }
}
