package io.durablejobs.core.ledger;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.api.ApiRequest;
import io.durablejobs.core.api.ApiResponse;
import io.durablejobs.core.api.Problem;
import io.durablejobs.core.api.RouteSpec;
import io.durablejobs.core.api.TenantRoute;
import io.durablejobs.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /v1/stats}: the calling tenant's ledger, and the same counters per type. */
public final class StatsRoute implements TenantRoute {
    private final Ledger ledger;

    public StatsRoute(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public List<RouteSpec> routes() {
        return List.of(RouteSpec.get("/v1/stats"));
    }

    @Override
    public Optional<ApiResponse> handle(ApiRequest request, String tenant) {
        if (!"/v1/stats".equals(request.path())) {
            return Optional.empty();
        }
        if (!"GET".equalsIgnoreCase(request.method())) {
            return Optional.of(Problem.of(405, "method-not-allowed", "Method not allowed", "use GET").header("Allow", "GET").toResponse());
        }
        LedgerCounts c = ledger.read(tenant);
        ObjectNode body = counts(c);
        body.put("balanced", c.balanced());
        ObjectNode types = body.putObject("types");
        c.byType().forEach((type, t) -> types.set(type, counts(t)));
        return Optional.of(ApiResponse.json(200, body, Map.of()));
    }

    private static ObjectNode counts(LedgerCounts c) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("accepted", c.accepted());
        n.put("succeeded", c.succeeded());
        n.put("dead_lettered", c.deadLettered());
        n.put("cancelled", c.cancelled());
        n.put("in_flight", c.inFlight());
        return n;
    }
}
