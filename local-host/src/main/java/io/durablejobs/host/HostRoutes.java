package io.durablejobs.host;

import io.durablejobs.core.api.RouteSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The routes the local host answers itself, without auth and without reaching a function: the health
 * check and the API's OpenAPI description (the repository's api/openapi.json, packed into the host's jar).
 * The dashboard is a page of the host, not part of the API, and is not listed.
 */
final class HostRoutes {
    static final String HEALTH = "/healthz";
    static final String OPENAPI = "/openapi.json";
    private static final byte[] DESCRIPTION = load();

    private HostRoutes() {
    }

    static List<RouteSpec> routes() {
        return List.of(RouteSpec.get(HEALTH), new RouteSpec("HEAD", HEALTH), RouteSpec.get(OPENAPI));
    }

    static ApiGatewayResponse openApi(String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return ApiGatewayResponse.message(405, "Method Not Allowed");
        }
        return new ApiGatewayResponse(200, Map.of("content-type", List.of("application/json"), "cache-control", List.of("no-cache")),
                DESCRIPTION);
    }

    private static byte[] load() {
        try (InputStream in = HostRoutes.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the host's classpath (see local-host/pom.xml)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
