package io.durablejobs.client;

import java.time.Duration;
import java.util.Optional;

/**
 * The API answered with a problem. Subclasses name the common cases; {@link #problem()} carries every field
 * and {@link #retryAfter()} the server's {@code Retry-After} when it sent one.
 */
public class ProblemException extends JobsException {
    private final Problem problem;
    private final Duration retryAfter;

    public ProblemException(Problem problem, Duration retryAfter) {
        super(problem.status() + " " + problem.title() + (problem.detail() == null ? "" : ": " + problem.detail()));
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }

    public String type() {
        return problem.type();
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    static ProblemException of(Problem p, Duration retryAfter) {
        return switch (p.status()) {
            case 400, 413, 415 -> new InvalidRequestException(p, retryAfter);
            case 401, 403 -> new UnauthorizedException(p, retryAfter);
            case 404 -> new NotFoundException(p, retryAfter);
            case 409 -> new ConflictException(p, retryAfter);
            case 422 -> new IdempotencyKeyReusedException(p, retryAfter);
            case 429 -> new RateLimitedException(p, retryAfter);
            case 500, 502, 503, 504 -> new UnavailableException(p, retryAfter);
            default -> new ProblemException(p, retryAfter);
        };
    }

    /** 400, 413, 415: the request is wrong (malformed JSON, validation with {@code errors}, bad Idempotency-Key, too large). */
    public static final class InvalidRequestException extends ProblemException {
        InvalidRequestException(Problem p, Duration r) {
            super(p, r);
        }
    }

    /** 401: no or unknown API key. */
    public static final class UnauthorizedException extends ProblemException {
        UnauthorizedException(Problem p, Duration r) {
            super(p, r);
        }
    }

    /** 404: unknown, or another tenant's. */
    public static final class NotFoundException extends ProblemException {
        NotFoundException(Problem p, Duration r) {
            super(p, r);
        }
    }

    /** 409: the Idempotency-Key is still being accepted (retried by the client first), or the job is not dead-lettered. */
    public static final class ConflictException extends ProblemException {
        ConflictException(Problem p, Duration r) {
            super(p, r);
        }
    }

    /** 422: the Idempotency-Key was used with a different request. */
    public static final class IdempotencyKeyReusedException extends ProblemException {
        IdempotencyKeyReusedException(Problem p, Duration r) {
            super(p, r);
        }
    }

    /** 429: over the tenant's rate (or, for bulk replay, too soon); retried by the client within its budget first. */
    public static final class RateLimitedException extends ProblemException {
        RateLimitedException(Problem p, Duration r) {
            super(p, r);
        }
    }

    /** 5xx: nothing was done (broker did not confirm, Redis unreachable, load shed); retried by the client within its budget first. */
    public static final class UnavailableException extends ProblemException {
        UnavailableException(Problem p, Duration r) {
            super(p, r);
        }
    }
}
