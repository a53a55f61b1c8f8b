package io.durablejobs.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * API Gateway's stage throttling, as the deployed API is configured in {@code platform.json}'s {@code api}
 * block: each route ({@code METHOD /path/{param}/{greedy+}}) has a token bucket of {@code burstLimit}
 * tokens refilled at {@code rateLimit} a second, and a request that finds its route's bucket empty is
 * answered {@code 429 {"message":"Too Many Requests"}} before any function runs. A request that matches no
 * listed route shares one bucket of the stage's default limits (on AWS such a request would not reach a
 * function at all). Checked before the event is built, so a throttled request costs a map lookup and a
 * compare-and-set, as on AWS it costs the function nothing.
 *
 * <p>Hand-written rather than Bucket4j or Guava's RateLimiter: the host needs exactly API Gateway's bucket
 * (full at start, refused rather than delayed when empty), and neither library is on the host's classpath.
 */
final class StageThrottle {
    /** The copy of {@code infra/platform.json} packed into the jar at build time. */
    static final String RESOURCE = "/io/durablejobs/host/platform.json";
    static final StageThrottle OFF = new StageThrottle(List.of(), null);

    private final List<Route> routes;
    private final Bucket fallback;

    private StageThrottle(List<Route> routes, Bucket fallback) {
        this.routes = routes;
        this.fallback = fallback;
    }

    /** The throttles of the {@code platform.json} packed into the jar; none when it is absent. */
    static StageThrottle fromPlatformResource() {
        try (InputStream in = StageThrottle.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return OFF;
            }
            return fromPlatform(new ObjectMapper().readTree(in), System::nanoTime);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static StageThrottle fromPlatform(JsonNode platform, LongSupplier clock) {
        JsonNode api = platform.path("api");
        double defaultRate = api.path("defaultRateLimit").asDouble(0);
        int defaultBurst = api.path("defaultBurstLimit").asInt(0);
        List<Route> routes = new ArrayList<>();
        for (JsonNode r : api.path("routes")) {
            double rate = r.path("rateLimit").asDouble(defaultRate);
            int burst = r.path("burstLimit").asInt(defaultBurst);
            routes.add(new Route(r.path("method").asText(), r.path("path").asText(), new Bucket(rate, burst, clock)));
        }
        // API Gateway prefers the most specific route: literal segments over parameters, a greedy one last.
        routes.sort(Comparator.comparingInt(Route::greedy).thenComparingInt(r -> -r.literals()));
        Bucket fallback = defaultBurst > 0 || defaultRate > 0 ? new Bucket(defaultRate, defaultBurst, clock) : null;
        return new StageThrottle(List.copyOf(routes), fallback);
    }

    /** True when the request may go on; false when its route's bucket is empty (answer 429). */
    boolean admit(String method, String rawPath) {
        if (routes.isEmpty() && fallback == null) {
            return true;
        }
        for (Route r : routes) {
            if (r.matches(method, rawPath)) {
                return r.bucket.take();
            }
        }
        return fallback == null || fallback.take();
    }

    private record Route(String method, String[] segments, Bucket bucket, int greedy, int literals) {
        Route(String method, String path, Bucket bucket) {
            this(method, split(path), bucket);
        }

        private Route(String method, String[] segments, Bucket bucket) {
            this(method, segments, bucket, segments.length > 0 && segments[segments.length - 1].endsWith("+}") ? 1 : 0,
                    (int) Arrays.stream(segments).filter(s -> !s.startsWith("{")).count());
        }

        boolean matches(String m, String path) {
            if (!method.equals(m)) {
                return false;
            }
            String[] parts = split(path);
            for (int i = 0; i < segments.length; i++) {
                String s = segments[i];
                if (greedy == 1 && i == segments.length - 1) {
                    return parts.length > i;
                }
                if (i >= parts.length || parts[i].isEmpty()) {
                    return false;
                }
                if (!s.startsWith("{") && !s.equals(parts[i])) {
                    return false;
                }
            }
            return parts.length == segments.length;
        }

        private static String[] split(String path) {
            String p = path.startsWith("/") ? path.substring(1) : path;
            return p.isEmpty() ? new String[0] : p.split("/", -1);
        }
    }

    /** A token bucket: {@code burst} tokens, refilled continuously at {@code rate} a second, full at start. */
    static final class Bucket {
        private final double perNano;
        private final double capacity;
        private final LongSupplier clock;
        private double tokens;
        private long last;

        Bucket(double ratePerSecond, int burst, LongSupplier clock) {
            this.perNano = ratePerSecond / 1e9;
            this.capacity = Math.max(burst, 0);
            this.clock = clock;
            this.tokens = capacity;
            this.last = clock.getAsLong();
        }

        synchronized boolean take() {
            long now = clock.getAsLong();
            tokens = Math.min(capacity, tokens + (now - last) * perNano);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
