package io.durablejobs.host;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which http function a request goes to, as API Gateway sends each route to its own integration: a function
 * whose row lists route keys ({@code "GET /v1/dlq/{jobId}"}, functions.json {@code trigger.routes}) serves
 * those, and the one http function that lists none serves every other request. A request whose path matches
 * a listed route but not its method goes to that route's function too, so the function that owns the path
 * answers its 405 with the methods it allows, as the single API function did.
 *
 * <p>Matching follows API Gateway: literal segments win over {@code {param}} segments, and a greedy
 * {@code {name+}} segment, which takes one or more segments, comes last.
 */
final class ApiRoutes<T> {
    private record Route<T>(String method, String[] segments, boolean greedy, int literals, T target) {
        boolean matchesPath(String[] parts) {
            int fixed = greedy ? segments.length - 1 : segments.length;
            if (greedy ? parts.length < segments.length : parts.length != segments.length) {
                return false;
            }
            for (int i = 0; i < fixed; i++) {
                String s = segments[i];
                if (parts[i].isEmpty() || (!s.startsWith("{") && !s.equals(parts[i]))) {
                    return false;
                }
            }
            return !greedy || !parts[fixed].isEmpty();
        }
    }

    private final List<Route<T>> routes;
    private final T fallback;

    private ApiRoutes(List<Route<T>> routes, T fallback) {
        this.routes = routes;
        this.fallback = fallback;
    }

    /**
     * The routes of {@code functions}' http functions, each to {@code target.apply(function)}.
     *
     * @throws IllegalArgumentException as {@link #check} does
     */
    static <T> ApiRoutes<T> of(List<FunctionSpec> functions, Function<FunctionSpec, T> target) {
        check(functions);
        List<Route<T>> routes = new ArrayList<>();
        T fallback = null;
        for (FunctionSpec f : functions) {
            if (!(f.trigger() instanceof Trigger.Http http)) {
                continue;
            }
            T t = target.apply(f);
            if (http.routes().isEmpty()) {
                fallback = t;
            }
            for (String key : http.routes()) {
                routes.add(route(key, t));
            }
        }
        routes.sort(Comparator.comparing((Route<T> r) -> r.greedy()).thenComparingInt(r -> -r.literals()));
        return new ApiRoutes<>(List.copyOf(routes), fallback);
    }

    /**
     * Refuses a table API Gateway could not route: more than one http function listing no routes (which one
     * would serve the rest?), a route listed twice, or a route key that is not {@code METHOD /path}.
     */
    static void check(List<FunctionSpec> functions) {
        List<String> catchAll = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        for (FunctionSpec f : functions) {
            if (!(f.trigger() instanceof Trigger.Http http)) {
                continue;
            }
            if (http.routes().isEmpty()) {
                catchAll.add(f.name());
            }
            for (String key : http.routes()) {
                route(key, null);
                String other = owners.putIfAbsent(key, f.name());
                if (other != null) {
                    throw new IllegalArgumentException("route " + key + " is listed by both " + other + " and " + f.name());
                }
            }
        }
        if (catchAll.size() > 1) {
            throw new IllegalArgumentException("at most one http function may list no routes (it serves every route the others do "
                    + "not list); these list none: " + catchAll);
        }
    }

    /** The function serving {@code method} and {@code rawPath}; empty when none does (API Gateway answers 404). */
    Optional<T> target(String method, String rawPath) {
        String[] parts = split(rawPath);
        Route<T> pathOnly = null;
        for (Route<T> r : routes) {
            if (r.matchesPath(parts)) {
                if (r.method().equals(method)) {
                    return Optional.of(r.target());
                }
                if (pathOnly == null) {
                    pathOnly = r;
                }
            }
        }
        return Optional.ofNullable(pathOnly != null ? pathOnly.target() : fallback);
    }

    private static <T> Route<T> route(String key, T target) {
        String[] mp = key.trim().split(" +", 2);
        if (mp.length != 2 || !mp[0].matches("[A-Z]+") || !mp[1].startsWith("/")) {
            throw new IllegalArgumentException("route " + key + ": must be METHOD /path, e.g. GET /v1/dlq/{jobId}");
        }
        String[] segments = split(mp[1]);
        boolean greedy = segments.length > 0 && segments[segments.length - 1].endsWith("+}");
        int literals = (int) Arrays.stream(segments).filter(s -> !s.startsWith("{")).count();
        return new Route<>(mp[0], segments, greedy, literals, target);
    }

    private static String[] split(String path) {
        String p = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
