package io.durablejobs.core.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small route table: method and path template ({@code /v1/jobs/{jobId}/cancel}) to handler. A path that
 * matches no template is not the table's (empty); one that matches a template but not its method is a 405
 * listing the methods that path allows. A literal segment wins over a {@code {name}} segment, so
 * {@code /v1/jobs/batch} is the batch route, never a job id. Written by hand because it is twenty lines and
 * the API is carried by API Gateway events, not by a servlet container a router library would expect.
 */
public final class RouteTable {

    /** Serves one route; {@code params} holds the path's {@code {name}} segments. */
    @FunctionalInterface
    public interface Handler {
        ApiResponse handle(ApiRequest request, String tenant, Map<String, String> params);
    }

    private record Entry(RouteSpec spec, String[] segments, Handler handler) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public RouteTable add(RouteSpec spec, Handler handler) {
        entries.add(new Entry(spec, spec.path().substring(1).split("/", -1), handler));
        return this;
    }

    public List<RouteSpec> routes() {
        return entries.stream().map(Entry::spec).toList();
    }

    public Optional<ApiResponse> dispatch(ApiRequest req, String tenant) {
        String path = req.path() == null ? "/" : req.path();
        String[] parts = path.substring(path.startsWith("/") ? 1 : 0).split("/", -1);
        int best = -1;
        List<Entry> candidates = new ArrayList<>();
        for (Entry e : entries) {
            int literals = match(e.segments(), parts);
            if (literals > best) {
                best = literals;
                candidates.clear();
            }
            if (literals >= 0 && literals == best) {
                candidates.add(e);
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        String method = Responses.method(req);
        for (Entry e : candidates) {
            if (e.spec().method().equals(method)) {
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 0; i < parts.length; i++) {
                    String s = e.segments()[i];
                    if (s.startsWith("{")) {
                        params.put(s.substring(1, s.length() - 1), parts[i]);
                    }
                }
                return Optional.of(e.handler().handle(req, tenant, params));
            }
        }
        return Optional.of(Responses.notAllowed(method, String.join(", ", candidates.stream().map(e -> e.spec().method()).distinct().toList())));
    }

    /** The number of literal segments matched, or -1 when the path does not match. */
    private static int match(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < parts.length; i++) {
            if (template[i].startsWith("{")) {
                if (parts[i].isEmpty()) {
                    return -1;
                }
            } else if (template[i].equals(parts[i])) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }
}
