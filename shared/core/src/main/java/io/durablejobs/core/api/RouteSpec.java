package io.durablejobs.core.api;

/**
 * One operation the API serves: a method and a path template such as {@code /v1/jobs/{jobId}} (a
 * {@code {name}} segment matches one path segment; {@code {key}} at the end of the blob route matches the
 * rest of the path, as API Gateway's greedy {@code {key+}} does). Declared by the code that dispatches
 * the route, so the published description can be checked against what is really served.
 */
public record RouteSpec(String method, String path) {
    public RouteSpec {
        if (method == null || path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("a route needs a method and a path starting with /");
        }
    }

    public static RouteSpec get(String path) {
        return new RouteSpec("GET", path);
    }

    public static RouteSpec post(String path) {
        return new RouteSpec("POST", path);
    }

    public static RouteSpec delete(String path) {
        return new RouteSpec("DELETE", path);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
