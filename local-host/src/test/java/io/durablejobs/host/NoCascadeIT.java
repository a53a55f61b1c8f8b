package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.durablejobs.adapters.redis.RedisSession;
import io.durablejobs.contract.ContractProxy;
import io.durablejobs.core.json.Json;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hung downstream and a healthy one in the same batches, through the host with the real webhook
 * worker and the Redis breaker: the healthy host's jobs all succeed, the hung host's breaker opens for
 * the cluster, and its jobs wait (deferred) instead of burning their attempts or the batch.
 */
class NoCascadeIT {
    static final String KEY = "key-cascade-aaaaaaaaaaaa";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final AtomicInteger slowCalls = new AtomicInteger();
    static HttpServer slow;
    static HttpServer healthy;
    static LocalHost host;
    /** Every exchange goes through it and is held to api/openapi.json. */
    static ContractProxy contract;

    @BeforeAll
    static void start() throws Exception {
        slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/", ex -> {
            slowCalls.incrementAndGet();
            try {
                Thread.sleep(5_000); // far past the webhook timeout: a hung downstream
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        slow.start();
        healthy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        healthy.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        healthy.start();
        Map<String, String> env = ItSupport.hostEnv(ItSupport.namespace());
        env.put("JOBS_API_KEYS", "acme=" + KEY);
        env.put("JOBS_WEBHOOK_SIGNING_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        env.put("JOBS_WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true");
        env.put("JOBS_WEBHOOK_TIMEOUT", "500ms");
        env.put("JOBS_RETRY_TIERS", "200ms,1s,30s");
        env.put("JOBS_WORKER_CONCURRENCY", "4");
        env.put("JOBS_WORKER_PER_TARGET", "2");
        env.put("JOBS_BREAKER_MINIMUM_NUMBER_OF_CALLS", "4");
        env.put("JOBS_BREAKER_SLIDING_WINDOW_SECONDS", "60");
        env.put("JOBS_BREAKER_WAIT_IN_OPEN_STATE", "60s");
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../functions/functions.json"))
                .withFunctions("submit", "webhook-worker").withHttpPort(0));
        contract = ContractProxy.start(host.apiUrl());
    }

    @AfterAll
    static void stop() {
        contract.close();
        host.close();
        ItSupport.deleteTopology(host.topology());
        slow.stop(0);
        healthy.stop(0);
        contract.assertKept();
    }

    static String submit(HttpServer target, int i) throws Exception {
        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/hook/" + i;
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(contract.url().resolve("/v1/jobs"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"webhook.deliver\",\"payload\":{\"url\":\"" + url + "\",\"body\":{}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return Json.MAPPER.readTree(r.body()).get("jobId").asText();
    }

    static JsonNode status(String id) throws Exception {
        return Json.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(contract.url().resolve("/v1/jobs/" + id))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void aHungHost_tripsItsBreaker_andItsJobsWait_whileTheHealthyHostsJobsAllSucceed() throws Exception {
        List<String> slowJobs = new ArrayList<>();
        List<String> healthyJobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // interleaved, so both hosts share batches
            slowJobs.add(submit(slow, i));
            healthyJobs.add(submit(healthy, i));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            for (String id : healthyJobs) {
                if (!status(id).get("status").asText().equals("succeeded")) {
                    return false;
                }
            }
            return true;
        });
        String healthyBreaker = host.namespace() + ":breaker:{webhook:127.0.0.1:" + healthy.getAddress().getPort() + "}";
        try (RedisSession redis = RedisSession.open(System.getenv().getOrDefault("JOBS_REDIS_URI", "redis://127.0.0.1:6379"), false)) {
            String breaker = host.namespace() + ":breaker:{webhook:127.0.0.1:" + slow.getAddress().getPort() + "}";
            await().atMost(Duration.ofSeconds(30)).until(() -> "open".equals(redis.commands().hget(breaker, "state")));
            assertThat(redis.commands().hget(healthyBreaker, "state")).isIn(null, "closed");
        }
        // The hung host saw only the calls it took to trip the breaker (a few, bounded by the bulkhead),
        // not one per job and attempt; its jobs are waiting, none spent all its attempts or dead-lettered.
        Thread.sleep(1500);
        assertThat(slowCalls.get()).isLessThan(slowJobs.size());
        for (String id : slowJobs) {
            JsonNode s = status(id);
            assertThat(s.get("status").asText()).as(id).isIn("queued", "retrying", "running");
            assertThat(s.get("attempts").asInt()).as(id).isLessThanOrEqualTo(2);
        }
    }
}
