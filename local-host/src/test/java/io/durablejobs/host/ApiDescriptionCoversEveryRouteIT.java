package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.contract.OpenApiContract;
import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import io.durablejobs.core.api.JobsApi;
import io.durablejobs.core.api.RouteSpec;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.lambda.PlatformClients;
import io.durablejobs.lambda.StoreApiFunction;
import io.durablejobs.lambda.StoreApiSettings;
import io.durablejobs.lambda.SubmitFunction;
import io.durablejobs.lambda.SubmitSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published description (api/openapi.json) and the routes really served are the same set: the API as
 * the http functions wire it (the submit function's and the store API function's route declarations, next to
 * the code that dispatches them) plus the routes the host answers itself. A route added without being described fails here, and so does a route
 * described that nothing serves. The declarations are probed against the dispatch, so a declaration that
 * drifts from the code fails too.
 */
class ApiDescriptionCoversEveryRouteIT {
    static final String KEY = "key-routes-" + UUID.randomUUID();
    static final String SAMPLE_JOB_ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    static String namespace;
    static PlatformClients clients;
    /** The submit function's API and the store API function's: together, every route of the API. */
    static List<JobsApi> apis;

    @BeforeAll
    static void wire() throws Exception {
        namespace = ItSupport.namespace();
        Map<String, String> env = ItSupport.hostEnv(namespace);
        env.put("JOBS_API_KEYS", "routes=" + KEY);
        clients = PlatformClients.connect(env, JobTypeRegistry.fromServiceLoader(), "submit");
        apis = List.of(SubmitFunction.api(clients, SubmitSettings.from(env)), StoreApiFunction.api(clients, StoreApiSettings.from(env)));
    }

    @AfterAll
    static void close() {
        if (clients != null) {
            clients.close();
        }
    }

    static Set<String> served() {
        Set<String> all = new TreeSet<>();
        apis.forEach(api -> api.routes().forEach(r -> all.add(r.toString())));
        HostRoutes.routes().forEach(r -> all.add(r.toString()));
        return all;
    }

    @Test
    void everyServedRoute_isDescribed_andEveryDescribedRoute_isServed() {
        Set<String> described = OpenApiContract.load().operations();
        assertThat(served()).as("served routes missing from api/openapi.json").isSubsetOf(described);
        assertThat(described).as("routes api/openapi.json describes that nothing serves").isSubsetOf(served());
    }

    @Test
    void everyDeclaredRoute_isAnsweredByItsHandler_notByTheRoutersFallbacks() {
        for (JobsApi api : apis) {
            everyDeclaredRoute_isAnsweredByItsHandler(api);
        }
    }

    private static void everyDeclaredRoute_isAnsweredByItsHandler(JobsApi api) {
        for (RouteSpec r : api.routes()) {
            ApiResponse res = call(api, r.method(), sample(r.path()));
            assertThat(res.status()).as(r + " answered " + res.bodyText()).isNotEqualTo(405);
            assertThat(res.bodyText()).as(r + " fell through to the router").doesNotContain("no route for");
        }
    }

    @Test
    void aMethodNotDeclaredOnADeclaredPath_isRefusedWith405() {
        apis.forEach(ApiDescriptionCoversEveryRouteIT::aMethodNotDeclaredOnADeclaredPath_isRefusedWith405);
    }

    private static void aMethodNotDeclaredOnADeclaredPath_isRefusedWith405(JobsApi api) {
        Map<String, List<String>> byPath = api.routes().stream()
                .collect(Collectors.groupingBy(RouteSpec::path, Collectors.mapping(RouteSpec::method, Collectors.toList())));
        byPath.forEach((path, methods) -> {
            for (String m : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                if (!methods.contains(m)) {
                    assertThat(call(api, m, sample(path)).status()).as(m + " " + path).isEqualTo(405);
                }
            }
        });
    }

    private static String sample(String template) {
        return template.replace("{jobId}", SAMPLE_JOB_ID).replace("{key}", "jobs/" + SAMPLE_JOB_ID + "/output.png");
    }

    private static ApiResponse call(JobsApi api, String method, String path) {
        byte[] body = path.equals("/v1/dlq/replay") ? "{\"dryRun\":true}".getBytes(StandardCharsets.UTF_8) : new byte[0];
        return api.handle(new ApiRequest(method, path, Map.of(), Map.of("authorization", "Bearer " + KEY, "content-type", "application/json"),
                body, "probe"));
    }
}
