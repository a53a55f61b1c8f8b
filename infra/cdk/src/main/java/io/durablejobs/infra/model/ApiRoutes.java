package io.durablejobs.infra.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which http function serves each route of platform.json {@code api.routes}: the one whose functions.json
 * trigger lists the route key ({@code "GET /v1/dlq/{jobId}"}), else the one http function that lists no
 * routes. API Gateway sends each route to that function's integration. terraform/api.tf (local.routes) applies
 * the same rule; the local host too (it stands in for API Gateway).
 */
public final class ApiRoutes {
    private ApiRoutes() {
    }

    /** Route key to the name of the function serving it, in platform.json order. */
    public static Map<String, String> owners(JsonNode platform, List<FunctionSpec> functions) {
        List<FunctionSpec> http = functions.stream().filter(f -> f.trigger().isHttp()).toList();
        Map<String, String> owners = new LinkedHashMap<>();
        for (JsonNode r : platform.path("api").path("routes")) {
            String key = r.path("method").asText() + " " + r.path("path").asText();
            owners.put(key, ownerOf(http, key).name());
        }
        return owners;
    }

    /** The routes {@code function} serves (route keys). */
    public static List<String> servedBy(String function, JsonNode platform, List<FunctionSpec> functions) {
        return owners(platform, functions).entrySet().stream().filter(e -> e.getValue().equals(function)).map(Map.Entry::getKey).toList();
    }

    private static FunctionSpec ownerOf(List<FunctionSpec> http, String routeKey) {
        List<FunctionSpec> listing = new ArrayList<>(http.stream().filter(f -> f.trigger().routes().contains(routeKey)).toList());
        if (listing.isEmpty()) {
            listing.addAll(http.stream().filter(f -> f.trigger().routes().isEmpty()).toList());
        }
        if (listing.size() != 1) {
            throw new IllegalArgumentException("route " + routeKey + " needs exactly one http function, found "
                    + listing.stream().map(FunctionSpec::name).toList());
        }
        return listing.get(0);
    }
}
