package io.durablejobs.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.durablejobs.core.admission.Admission;
import io.durablejobs.core.admission.AdmissionDecision;
import io.durablejobs.core.admission.QueueDepths;
import io.durablejobs.core.admission.RateLimit;
import io.durablejobs.core.ledger.InMemoryLedger;
import io.durablejobs.core.ledger.Ledger;
import io.durablejobs.core.port.IdempotencyStore;
import io.durablejobs.core.port.JobIndex;
import io.durablejobs.core.port.JobStore;
import io.durablejobs.core.retry.RetryTiers;
import io.durablejobs.core.testing.InMemoryIdempotencyStore;
import io.durablejobs.core.testing.InMemoryJobIndex;
import io.durablejobs.core.testing.InMemoryJobStore;
import io.durablejobs.core.testing.RecordingPublisher;
import io.durablejobs.core.testing.ScriptedJobType;
import io.durablejobs.core.topology.QueueType;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.core.work.JobMessages;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How many sequential round trips to the stores a submit costs. Every store call here takes a fixed
 * latency, as a network round trip would; calls started together (a pipeline) overlap, calls that wait for
 * an answer do not. Counting the waves of call starts therefore counts round trips, whatever the number of
 * commands in each.
 */
class SubmitRoundTripsTest {
    static final String KEY = "key-aaaaaaaaaaaaaaaa";
    static final long LATENCY_MS = 250;

    final List<Long> starts = Collections.synchronizedList(new ArrayList<>());
    final RecordingPublisher publisher = new RecordingPublisher();

    @SuppressWarnings("unchecked")
    <T> T slow(Class<T> port, T delegate) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class || method.getName().equals("tenantLimit")) {
                return method.invoke(delegate, args); // configuration, not a call to the store
            }
            starts.add(System.nanoTime());
            try {
                if (CompletableFuture.class.isAssignableFrom(method.getReturnType())) {
                    CompletableFuture<Object> f = (CompletableFuture<Object>) method.invoke(delegate, args);
                    return f.thenCompose(v -> CompletableFuture.supplyAsync(() -> v,
                            CompletableFuture.delayedExecutor(LATENCY_MS, TimeUnit.MILLISECONDS)));
                }
                Thread.sleep(LATENCY_MS);
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, h);
    }

    /** Calls that start within half a round trip of the wave's first call travel together. */
    int waves() {
        List<Long> sorted = new ArrayList<>(starts);
        Collections.sort(sorted);
        int waves = 0;
        long waveStart = Long.MIN_VALUE;
        for (long s : sorted) {
            if (waves == 0 || s - waveStart > TimeUnit.MILLISECONDS.toNanos(LATENCY_MS / 2)) {
                waves++;
                waveStart = s;
            }
        }
        return waves;
    }

    JobsApi api() {
        JobTypeRegistry registry = JobTypeRegistry.of(new ScriptedJobType("echo", 3));
        Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), registry.names());
        JobStore store = slow(JobStore.class, new InMemoryJobStore(Clock.systemUTC()));
        Admission admission = slow(Admission.class, new Admission() {
            @Override
            public AdmissionDecision admit(String tenant) {
                return new AdmissionDecision.Admitted(10, Duration.ZERO);
            }

            @Override
            public AdmissionDecision admit(String tenant, int jobs) {
                return new AdmissionDecision.Admitted(10, Duration.ZERO, jobs);
            }

            @Override
            public RateLimit tenantLimit() {
                return RateLimit.UNLIMITED;
            }
        });
        SubmitService submit = new SubmitService(store, publisher, new JobMessages(topology), Duration.ofDays(1), Clock.systemUTC(),
                slow(Ledger.class, new InMemoryLedger()), slow(JobIndex.class, new InMemoryJobIndex()), Duration.ofDays(2));
        return new JobsApi(ApiKeys.parse("a=" + KEY), 4096, new SubmitRequestParser(registry), submit, store,
                slow(IdempotencyStore.class, new InMemoryIdempotencyStore(Clock.systemUTC())),
                new JobsApi.IdempotencySettings(Duration.ofHours(24), Duration.ofSeconds(15)), Clock.systemUTC(), List.of(),
                new LoadControl(admission, QueueDepths.UNKNOWN, 0));
    }

    /** A first submit links every lambda and class on the path; on a loaded machine that alone can take a round trip. */
    JobsApi warm(JobsApi api) {
        post(api, "/v1/jobs", "{\"type\":\"echo\",\"payload\":{}}", "warm-up");
        post(api, "/v1/jobs/batch", "{\"jobs\":[{\"type\":\"echo\",\"payload\":{},\"idempotencyKey\":\"warm-b\"}]}", null);
        starts.clear();
        return api;
    }

    ApiResponse post(JobsApi api, String path, String body, String idempotencyKey) {
        Map<String, String> h = new HashMap<>();
        h.put("authorization", "Bearer " + KEY);
        h.put("content-type", "application/json");
        if (idempotencyKey != null) {
            h.put("idempotency-key", idempotencyKey);
        }
        return api.handle(new ApiRequest("POST", path, Map.of(), h, body.getBytes(StandardCharsets.UTF_8), "req-1"));
    }

    @Test
    void aSingleSubmitWithAnIdempotencyKey_costsThreeRoundTrips() {
        JobsApi api = warm(api());
        assertThat(post(api, "/v1/jobs", "{\"type\":\"echo\",\"payload\":{}}", "k-1").status()).isEqualTo(202);
        System.out.println("round trips, single submit with a key: " + waves() + " (" + starts.size() + " store calls)");
        assertThat(waves()).isLessThanOrEqualTo(3);
    }

    @Test
    void aSingleSubmitWithoutAKey_costsThreeRoundTrips() {
        JobsApi api = warm(api());
        assertThat(post(api, "/v1/jobs", "{\"type\":\"echo\",\"payload\":{}}", null).status()).isEqualTo(202);
        assertThat(waves()).isLessThanOrEqualTo(3);
    }

    @Test
    void aBatchOf100WithKeys_costsThreeRoundTripsInAll() {
        JobsApi api = warm(api());
        StringBuilder b = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < 100; i++) {
            b.append(i == 0 ? "" : ",").append("{\"type\":\"echo\",\"payload\":{\"i\":").append(i).append("},\"idempotencyKey\":\"b-").append(i).append("\"}");
        }
        ApiResponse r = post(api, "/v1/jobs/batch", b.append("]}").toString(), null);
        assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
        System.out.println("round trips, batch of 100 with keys: " + waves() + " (" + starts.size() + " store calls)");
        assertThat(waves()).isLessThanOrEqualTo(3);
        assertThat(publisher.published()).hasSize(102);
    }

    @Test
    void aRejectedSubmit_costsOneRoundTrip() {
        JobTypeRegistry registry = JobTypeRegistry.of(new ScriptedJobType("echo", 3));
        Admission closed = slow(Admission.class, new Admission() {
            @Override
            public AdmissionDecision admit(String tenant) {
                return new AdmissionDecision.Rejected(AdmissionDecision.Scope.TENANT, Duration.ofSeconds(1));
            }

            @Override
            public RateLimit tenantLimit() {
                return new RateLimit(1, 1);
            }
        });
        Topology topology = new Topology("t", QueueType.QUORUM, 5, new RetryTiers(RetryTiers.DEFAULT), registry.names());
        JobStore store = slow(JobStore.class, new InMemoryJobStore(Clock.systemUTC()));
        JobsApi api = new JobsApi(ApiKeys.parse("a=" + KEY), 4096, new SubmitRequestParser(registry),
                new SubmitService(store, publisher, new JobMessages(topology), Duration.ofDays(1), Clock.systemUTC()), store,
                slow(IdempotencyStore.class, new InMemoryIdempotencyStore(Clock.systemUTC())),
                new JobsApi.IdempotencySettings(Duration.ofHours(24), Duration.ofSeconds(15)), Clock.systemUTC(), List.of(),
                new LoadControl(closed, QueueDepths.UNKNOWN, 0));

        // Not even valid JSON: a rejection is answered before the body is read.
        assertThat(post(api, "/v1/jobs", "{not json", "k").status()).isEqualTo(429);
        assertThat(starts).hasSize(1);
    }
}
