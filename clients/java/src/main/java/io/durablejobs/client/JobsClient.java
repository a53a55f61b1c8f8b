package io.durablejobs.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A client of the durable jobs HTTP API (api/openapi.json), on the JDK's HTTP client and Jackson only.
 *
 * <p>Every submit carries an {@code Idempotency-Key} (made here when the caller gives none), so retrying it
 * can never make a second job: the client retries a submit on {@code 409} (the same key still being
 * accepted), {@code 429}, {@code 503} and network errors, with the same key, waiting what
 * {@code Retry-After} says, within {@link RetryPolicy#budget()} in all. Reads retry the same way; admin
 * actions retry only answers that say nothing was done ({@code 429}, {@code 503}). Problems surface as
 * {@link ProblemException} subclasses carrying the problem's fields. Thread-safe; share one instance.
 */
public final class JobsClient {
    public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8080");
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Set<Integer> TRANSIENT = Set.of(429, 500, 502, 503, 504);

    private final URI baseUrl;
    private final String apiKey;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Duration requestTimeout;
    private final Sleeper sleeper;

    /** How the client waits between retries and polls; tests replace it. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private JobsClient(Builder b) {
        this.baseUrl = URI.create(Objects.requireNonNull(b.baseUrl, "baseUrl").toString().replaceAll("/+$", ""));
        this.apiKey = Objects.requireNonNull(b.apiKey, "apiKey");
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.retry = b.retry;
        this.requestTimeout = b.requestTimeout;
        this.sleeper = b.sleeper;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code JOBS_API_URL} (default http://127.0.0.1:8080) and {@code JOBS_API_KEY}. */
    public static JobsClient fromEnvironment() {
        String key = System.getenv("JOBS_API_KEY");
        if (key == null || key.isBlank()) {
            throw new JobsException("JOBS_API_KEY is not set");
        }
        String url = System.getenv("JOBS_API_URL");
        return builder().baseUrl(url == null || url.isBlank() ? DEFAULT_URL : URI.create(url)).apiKey(key).build();
    }

    /** A JSON mapper set up as the client's own (java.time as ISO-8601 text, unknown fields ignored). */
    public static ObjectMapper objectMapper() {
        return JSON.copy();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    // ---- jobs ----

    /** Submits a job; the payload is any value Jackson can turn into a JSON object (a Map, a record, a JsonNode). */
    public JobAccepted submit(String type, Object payload) {
        return submit(SubmitRequest.of(type, JSON.valueToTree(payload)));
    }

    public JobAccepted submit(SubmitRequest request) {
        String key = request.idempotencyKey() != null ? request.idempotencyKey() : UUID.randomUUID().toString();
        ObjectNode body = JSON.createObjectNode().put("type", request.type());
        body.set("payload", request.payload());
        if (request.priority() != null) {
            body.put("priority", request.priority());
        }
        HttpResponse<byte[]> r = send("POST", "/v1/jobs", bytes(body), key,
                (status, type) -> TRANSIENT.contains(status) || (status == 409 && "/problems/idempotency-key-in-use".equals(type)), true);
        JobAccepted a = read(r, JobAccepted.class);
        boolean replayed = r.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false);
        return new JobAccepted(a.jobId(), a.type(), a.status(), a.createdAt(), key, replayed);
    }

    public Job get(String jobId) {
        return read(send("GET", "/v1/jobs/" + segment(jobId), null, null, (s, t) -> TRANSIENT.contains(s), true), Job.class);
    }

    /** Polls until the job is {@code succeeded} or {@code dead_lettered}; {@link WaitTimeoutException} after {@code timeout}. */
    public Job waitUntilFinal(String jobId, Duration timeout) {
        return waitUntilFinal(jobId, timeout, j -> { });
    }

    /** As {@link #waitUntilFinal(String, Duration)}, telling {@code onChange} each time the status or attempts change. */
    public Job waitUntilFinal(String jobId, Duration timeout, Consumer<Job> onChange) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration poll = Duration.ofMillis(200);
        Job last = null;
        while (true) {
            Job j = get(jobId);
            if (last == null || j.status() != last.status() || j.attempts() != last.attempts()) {
                onChange.accept(j);
            }
            last = j;
            if (j.status().isFinal()) {
                return j;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new WaitTimeoutException(j, timeout);
            }
            pause(Duration.ofNanos(Math.min(left, poll.toNanos())));
            poll = Duration.ofMillis(Math.min(2000, poll.toMillis() * 3 / 2));
        }
    }

    // ---- dead letters ----

    public DeadLetterPage deadLetters(DeadLetterQuery q) {
        StringBuilder query = new StringBuilder();
        param(query, "type", q.type());
        param(query, "reason", q.reason());
        param(query, "before", q.before() == null ? null : q.before().toString());
        param(query, "limit", q.limit() == null ? null : q.limit().toString());
        param(query, "cursor", q.cursor());
        return read(send("GET", "/v1/dlq" + query, null, null, (s, t) -> TRANSIENT.contains(s), true), DeadLetterPage.class);
    }

    public DeadLetter deadLetter(String jobId) {
        return read(send("GET", "/v1/dlq/" + segment(jobId), null, null, (s, t) -> TRANSIENT.contains(s), true), DeadLetter.class);
    }

    /** Puts one dead letter back to work. A network error is not retried: whether it happened is then unknown (read the job). */
    public Replayed replay(String jobId) {
        return read(send("POST", "/v1/dlq/" + segment(jobId) + "/replay", null, null, (s, t) -> s == 429 || s == 503, false), Replayed.class);
    }

    /** Replays every dead letter the filter matches ({@link ReplayFilter#asDryRun()} only counts them). */
    public BulkReplayResult replayAll(ReplayFilter filter) {
        return read(send("POST", "/v1/dlq/replay", bytes(JSON.valueToTree(filter)), null, (s, t) -> s == 429 || s == 503, false),
                BulkReplayResult.class);
    }

    public void discard(String jobId) {
        send("DELETE", "/v1/dlq/" + segment(jobId), null, null, (s, t) -> s == 503, true);
    }

    // ---- stats ----

    public Stats stats() {
        return read(send("GET", "/v1/stats", null, null, (s, t) -> TRANSIENT.contains(s), true), Stats.class);
    }

    // ---- the one place requests are made ----

    private interface Retryable {
        boolean test(int status, String problemType);
    }

    private HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String idempotencyKey, Retryable retryable,
                                      boolean retryNetworkErrors) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(requestTimeout)
                .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json, application/problem+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        HttpRequest request = b.build();
        long deadline = System.nanoTime() + retry.budget().toNanos();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<byte[]> r;
            try {
                r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                Duration wait = retry.backoff(attempt, null);
                if (!retryNetworkErrors || !fits(deadline, wait)) {
                    throw new TransportException(method + " " + baseUrl + pathAndQuery + " failed: " + e, e);
                }
                pause(wait);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobsException("interrupted", e);
            }
            if (r.statusCode() < 400) {
                return r;
            }
            Duration retryAfter = retryAfter(r);
            Problem p = problem(r);
            Duration wait = retry.backoff(attempt, retryAfter);
            if (!retryable.test(r.statusCode(), p.type()) || !fits(deadline, wait)) {
                throw ProblemException.of(p, retryAfter);
            }
            pause(wait);
        }
    }

    private static boolean fits(long deadline, Duration wait) {
        return System.nanoTime() + wait.toNanos() <= deadline;
    }

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobsException("interrupted", e);
        }
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> r) {
        String v = r.headers().firstValue("Retry-After").orElse(null);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim())));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(java.time.Instant.now(), ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** The problem in the body, or one made from whatever else the server (or a gateway) answered. */
    static Problem problem(HttpResponse<byte[]> r) {
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n != null && n.isObject()) {
                if (n.hasNonNull("type") || n.hasNonNull("title")) {
                    Problem p = JSON.treeToValue(n, Problem.class);
                    return new Problem(p.type() == null ? "about:blank" : p.type(), p.title(), r.statusCode(), p.detail(), p.errors());
                }
                if (n.hasNonNull("message")) {
                    return new Problem("about:blank", n.get("message").asText(), r.statusCode(), null, null);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // not JSON: fall through
        }
        String text = new String(r.body(), StandardCharsets.UTF_8);
        return new Problem("about:blank", "HTTP " + r.statusCode(), r.statusCode(), text.length() > 200 ? text.substring(0, 200) : text, null);
    }

    private static <T> T read(HttpResponse<byte[]> r, Class<T> type) {
        try {
            return JSON.readValue(r.body(), type);
        } catch (IOException e) {
            throw new JobsException("unexpected response to " + r.request().method() + " " + r.uri().getPath() + " (" + r.statusCode() + "): "
                    + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String segment(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a job id is required");
        }
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void param(StringBuilder q, String name, String value) {
        if (value != null && !value.isEmpty()) {
            q.append(q.length() == 0 ? '?' : '&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    /** Settings of a client; {@code baseUrl} and {@code apiKey} are required. */
    public static final class Builder {
        private URI baseUrl = DEFAULT_URL;
        private String apiKey;
        private HttpClient http;
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Sleeper sleeper = d -> Thread.sleep(d.toMillis());

        public Builder baseUrl(URI url) {
            this.baseUrl = url;
            return this;
        }

        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        /** A JDK client of your own (proxy, TLS, executor); redirects should stay off. */
        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            this.retry = Objects.requireNonNull(policy);
            return this;
        }

        /** The timeout of each request (not of the retries in all: that is the retry budget). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        Builder sleeper(Sleeper s) {
            this.sleeper = s;
            return this;
        }

        public JobsClient build() {
            return new JobsClient(this);
        }
    }
}
