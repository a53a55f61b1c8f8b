package io.durablejobs.core.api;

import java.util.List;
import java.util.Optional;

/**
 * An authenticated route of the public API beyond the jobs routes (dead letters, stats, blobs, ...). The
 * API authenticates first (deny by default), then offers the request to each route in order; a route
 * answers empty when the path is not its own. Tenant scoping is the route's duty: another tenant's
 * resource is a 404, never a 403.
 */
public interface TenantRoute {

    Optional<ApiResponse> handle(ApiRequest request, String tenant);

    /** Every method and path this route answers (not its 404s and 405s): what the API description must cover. */
    List<RouteSpec> routes();
}
