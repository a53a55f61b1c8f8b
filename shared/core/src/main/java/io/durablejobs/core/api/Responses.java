package io.durablejobs.core.api;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The answers every route shares, so that a 404, 405, 503 or 429 reads the same on every path. */
public final class Responses {
    private Responses() {
    }

    public static ApiResponse notFound(String detail) {
        return Problem.of(404, "not-found", "Not found", detail).toResponse();
    }

    /** 405 with the {@code Allow} header, e.g. {@code allow = "GET, POST"}. */
    public static ApiResponse notAllowed(String method, String allow) {
        return Problem.of(405, "method-not-allowed", "Method not allowed", method + " is not allowed here; use " + allow)
                .header("Allow", allow).toResponse();
    }

    /** 503 that asks the client to come back in a second: a store or the broker did not answer. */
    public static ApiResponse unavailable(String detail) {
        return Problem.of(503, "unavailable", "Service unavailable", detail).header("Retry-After", "1").toResponse();
    }

    /** 429: the tenant is over a rate; retry after the given wait. */
    public static ApiResponse rateLimited(String detail, Duration wait) {
        return Problem.of(429, "rate-limited", "Too many requests", detail).header("Retry-After", retryAfter(wait)).toResponse();
    }

    /** {@code Retry-After} in whole seconds, rounded up, at least 1 (RFC 9110 delay-seconds). */
    public static String retryAfter(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }

    /** The request's method in upper case ("" when absent). */
    public static String method(ApiRequest req) {
        return req.method() == null ? "" : req.method().toUpperCase(Locale.ROOT);
    }

    /** The API key of {@code Authorization: Bearer <key>}, or empty. */
    public static Optional<String> bearer(ApiRequest req) {
        String auth = req.header("authorization");
        if (auth == null || auth.length() < 8 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(auth.substring(7).trim());
    }

    /** Whether a {@code Content-Type} is JSON ({@code application/json} or a {@code +json} type). */
    public static boolean isJson(String contentType) {
        String base = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return base.equals("application/json") || base.endsWith("+json");
    }

    static String clip(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
