package io.durablejobs.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
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
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

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
    static final Set<Integer> TRANSIENT = Set.of(429, 500, 502, 503, 504);

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
        HttpResponse<byte[]> r = send("POST", "/v1/jobs", bytes(submitBody(request)), key,
                (status, type) -> TRANSIENT.contains(status) || (status == 409 && "/problems/idempotency-key-in-use".equals(type)), true);
        JobAccepted a = read(r, JobAccepted.class);
        boolean replayed = r.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false);
        return new JobAccepted(a.jobId(), a.type(), a.status(), a.createdAt(), a.runAt(), key, replayed);
    }

    /** The body of {@code POST /v1/jobs}, and of a batch item (which adds its key). */
    static ObjectNode submitBody(SubmitRequest request) {
        ObjectNode body = JSON.createObjectNode().put("type", request.type());
        body.set("payload", request.payload());
        if (request.priority() != null) {
            body.put("priority", request.priority());
        }
        if (request.runAt() != null) {
            body.put("runAt", request.runAt().toString());
        }
        if (request.delay() != null) {
            body.put("delay", request.delay().toString());
        }
        if (request.callbackUrl() != null) {
            body.put("callbackUrl", request.callbackUrl());
        }
        return body;
    }

    /**
     * Submits many jobs in as few requests as the API's batch limits allow (500 jobs and 2 MiB a request),
     * one result per request in the order given. Every item carries an idempotency key (made here when the
     * request has none), so whatever is retried never makes a second job: a whole request is retried on
     * {@code 409}, {@code 429}, {@code 503} and network errors, and items the API rejected for a passing
     * reason ({@code 409} key in use, {@code 429} over the rate, {@code 503} unavailable) are sent again on
     * their own, honouring {@code Retry-After}, within {@link RetryPolicy#budget()} per request. Items
     * still rejected then come back as rejected with their problem; a problem with the whole request
     * (invalid, unauthorized) is thrown.
     */
    public BatchResult submitBatch(List<SubmitRequest> requests) {
        return new BatchSubmit(this, requests).run();
    }

    /** Lists the tenant's jobs, newest first: one page ({@link #listAllJobs} follows the cursors). */
    public JobPage listJobs(JobQuery q) {
        StringBuilder query = new StringBuilder();
        param(query, "status", q.statuses().isEmpty() ? null
                : q.statuses().stream().map(JobStatus::wire).sorted().collect(Collectors.joining(",")));
        param(query, "type", q.type());
        param(query, "createdAfter", q.createdAfter() == null ? null : q.createdAfter().toString());
        param(query, "createdBefore", q.createdBefore() == null ? null : q.createdBefore().toString());
        param(query, "limit", q.limit() == null ? null : q.limit().toString());
        param(query, "cursor", q.cursor());
        return read(send("GET", "/v1/jobs" + query, null, null, (s, t) -> TRANSIENT.contains(s), true), JobPage.class);
    }

    /**
     * Every job the query matches, newest first, fetching the next page only when the iteration reaches it
     * (so a caller that stops early makes no further requests). Each iteration starts from the query's cursor.
     */
    public Iterable<Job> listAllJobs(JobQuery q) {
        return () -> new Iterator<>() {
            private Iterator<Job> page = List.<Job>of().iterator();
            private String cursor = q.cursor();
            private boolean last;

            @Override
            public boolean hasNext() {
                // A page may be empty and still have a cursor (the API bounds what one request reads): go on.
                while (!page.hasNext() && !last) {
                    JobPage p = listJobs(q.withCursor(cursor));
                    page = p.items().iterator();
                    cursor = p.nextCursor();
                    last = cursor == null;
                }
                return page.hasNext();
            }

            @Override
            public Job next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.next();
            }
        };
    }

    /** {@link #listAllJobs} as a stream. */
    public Stream<Job> streamJobs(JobQuery q) {
        return StreamSupport.stream(listAllJobs(q).spliterator(), false);
    }

    /**
     * Cancels a job: a scheduled, queued or retrying one at once; a running one is asked to stop. A job that
     * already succeeded or was dead-lettered is a {@link ProblemException.ConflictException}
     * ({@code /problems/job-finished}). Cancelling twice is harmless, so network errors are retried too.
     */
    public JobCancelled cancel(String jobId) {
        return read(send("POST", "/v1/jobs/" + segment(jobId) + "/cancel", null, null, (s, t) -> s == 429 || s == 503, true),
                JobCancelled.class);
    }

    public Job get(String jobId) {
        return read(send("GET", "/v1/jobs/" + segment(jobId), null, null, (s, t) -> TRANSIENT.contains(s), true), Job.class);
    }

    /** Polls until the job is {@code succeeded}, {@code dead_lettered} or {@code cancelled}; {@link WaitTimeoutException} after {@code timeout}. */
    public Job waitUntilFinal(String jobId, Duration timeout) {
        return waitUntilFinal(jobId, timeout, j -> { });
    }

    /** As {@link #waitUntilFinal(String, Duration)}, telling {@code onChange} each time the status, attempts or progress change. */
    public Job waitUntilFinal(String jobId, Duration timeout, Consumer<Job> onChange) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration poll = Duration.ofMillis(200);
        Job last = null;
        while (true) {
            Job j = get(jobId);
            if (last == null || j.status() != last.status() || j.attempts() != last.attempts()
                    || !Objects.equals(j.progress(), last.progress())) {
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

    // ---- schedules ----

    /**
     * Creates a recurring schedule. Not retried after a network error: the API has no idempotency key for
     * schedules, so a retry could make a second one (list them to find out).
     */
    public Schedule createSchedule(ScheduleRequest request) {
        return read(send("POST", "/v1/schedules", bytes(JSON.valueToTree(request)), null, (s, t) -> s == 429 || s == 503, false),
                Schedule.class);
    }

    /** The tenant's schedules, oldest first. */
    public List<Schedule> listSchedules() {
        return read(send("GET", "/v1/schedules", null, null, (s, t) -> TRANSIENT.contains(s), true), ScheduleList.class).schedules();
    }

    public Schedule getSchedule(String scheduleId) {
        return read(send("GET", "/v1/schedules/" + segment(scheduleId), null, null, (s, t) -> TRANSIENT.contains(s), true), Schedule.class);
    }

    /** No ticks until {@link #resumeSchedule}; pausing a paused schedule is harmless. */
    public Schedule pauseSchedule(String scheduleId) {
        return read(send("POST", "/v1/schedules/" + segment(scheduleId) + "/pause", null, null, (s, t) -> s == 429 || s == 503, true),
                Schedule.class);
    }

    public Schedule resumeSchedule(String scheduleId) {
        return read(send("POST", "/v1/schedules/" + segment(scheduleId) + "/resume", null, null, (s, t) -> s == 429 || s == 503, true),
                Schedule.class);
    }

    /** Deletes a schedule; the jobs it already submitted are not touched. */
    public void deleteSchedule(String scheduleId) {
        send("DELETE", "/v1/schedules/" + segment(scheduleId), null, null, (s, t) -> s == 429 || s == 503, false);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record ScheduleList(List<Schedule> schedules) {
        ScheduleList {
            schedules = schedules == null ? List.of() : List.copyOf(schedules);
        }
    }

    // ---- blobs ----

    /**
     * Uploads a blob into the tenant's key space ({@code charts/q1.png}: {@code /}-separated segments of
     * letters, digits, {@code .}, {@code _}, {@code -}; keys under {@code jobs/} belong to job outputs and are
     * refused). {@code contentType} null sends {@code application/octet-stream}. A PUT of the same bytes is
     * harmless to repeat, so it is retried like a read.
     */
    public BlobStored putBlob(String key, byte[] content, String contentType) {
        HttpResponse<byte[]> r = send("PUT", "/v1/blobs/" + blobPath(key), content,
                contentType == null ? "application/octet-stream" : contentType, null, (s, t) -> TRANSIENT.contains(s), true);
        BlobStored b = read(r, BlobStored.class);
        return new BlobStored(b.key(), b.bytes(), b.contentType(), r.statusCode() == 201);
    }

    /**
     * Reads one of the tenant's blobs. Where the API answers a redirect to a presigned URL (S3), the blob is
     * read from there, without the API key: a presigned URL carries its own authority, and the key must not
     * leave for another host.
     */
    public Blob getBlob(String key) {
        HttpResponse<byte[]> r = send("GET", "/v1/blobs/" + blobPath(key), null, null, (s, t) -> TRANSIENT.contains(s), true);
        if (r.statusCode() / 100 == 3) {
            URI to = r.headers().firstValue("Location").map(l -> baseUrl.resolve(l)).orElseThrow(
                    () -> new JobsException("GET /v1/blobs/" + key + " answered " + r.statusCode() + " without a Location"));
            if (!"https".equals(to.getScheme()) && !"http".equals(to.getScheme())) {
                throw new JobsException("GET /v1/blobs/" + key + " redirected to a URL that is not http(s)");
            }
            HttpResponse<byte[]> there;
            try {
                there = http.send(HttpRequest.newBuilder(to).timeout(requestTimeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw new TransportException("GET of the presigned URL for " + key + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobsException("interrupted", e);
            }
            if (there.statusCode() != 200) {
                throw ProblemException.of(problem(there), retryAfter(there));
            }
            return new Blob(key, there.headers().firstValue("Content-Type").orElse(null), there.body());
        }
        return new Blob(key, r.headers().firstValue("Content-Type").orElse(null), r.body());
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

    RetryPolicy retryPolicy() {
        return retry;
    }

    /** One JSON request with the API key, no retry: the batch submit retries by item, not by request. */
    HttpResponse<byte[]> once(String method, String pathAndQuery, byte[] body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(requestTimeout)
                .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json, application/problem+json")
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private interface Retryable {
        boolean test(int status, String problemType);
    }

    private HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String idempotencyKey, Retryable retryable,
                                      boolean retryNetworkErrors) {
        return send(method, pathAndQuery, body, "application/json", idempotencyKey, retryable, retryNetworkErrors);
    }

    private HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String contentType, String idempotencyKey,
                                      Retryable retryable, boolean retryNetworkErrors) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(requestTimeout)
                .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json, application/problem+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", contentType);
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

    static boolean fits(long deadline, Duration wait) {
        return System.nanoTime() + wait.toNanos() <= deadline;
    }

    void pause(Duration d) {
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
                Duration d = Duration.between(Instant.now(), ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
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

    static <T> T read(HttpResponse<byte[]> r, Class<T> type) {
        try {
            return JSON.readValue(r.body(), type);
        } catch (IOException e) {
            throw new JobsException("unexpected response to " + r.request().method() + " " + r.uri().getPath() + " (" + r.statusCode() + "): "
                    + e.getMessage(), e);
        }
    }

    static byte[] bytes(JsonNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A blob key as path segments, each percent-encoded; the slashes between them stay (the API reads the rest of the path as the key). */
    private static String blobPath(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/")) {
            throw new IllegalArgumentException("a blob key such as charts/q1.png is required (no leading /)");
        }
        StringBuilder p = new StringBuilder();
        for (String seg : key.split("/", -1)) {
            if (p.length() > 0) {
                p.append('/');
            }
            p.append(URLEncoder.encode(seg, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return p.toString();
    }

    static String segment(String id) {
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
