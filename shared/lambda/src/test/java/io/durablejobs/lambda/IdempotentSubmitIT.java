package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.lambda.testing.TestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrent submits of one Idempotency-Key against the real Redis and RabbitMQ make exactly one job. */
class IdempotentSubmitIT {
    static final String KEY = "key-idem-aaaaaaaaaaaaaaaa";
    static TestServers servers;
    static List<PlatformClients> environments = new ArrayList<>();
    static List<SubmitFunction> functions = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        servers = new TestServers("idemsubmit");
        Map<String, String> env = new HashMap<>();
        env.put("JOBS_NAMESPACE", servers.namespace());
        env.put("JOBS_API_KEYS", "t1=" + KEY);
        env.put("JOBS_RABBITMQ_URI", TestServers.rabbitUri());
        env.put("JOBS_REDIS_URI", TestServers.redisUri());
        // Several execution environments, each with its own connections, as Lambda scales the function out.
        for (int i = 0; i < 4; i++) {
            PlatformClients c = PlatformClients.connect(env, JobTypeRegistry.fromServiceLoader(), "idem-" + i);
            environments.add(c);
            functions.add(new SubmitFunction(c, SubmitSettings.DEFAULTS));
        }
        TopologyDeclarer.declare(servers.amqp(), servers.track(environments.get(0).topology()));
    }

    @AfterAll
    static void stop() throws Exception {
        environments.forEach(PlatformClients::close);
        servers.close();
    }

    static APIGatewayV2HTTPResponse post(SubmitFunction f, String idempotencyKey, String payload) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setRawPath("/v1/jobs");
        e.setHeaders(Map.of("authorization", "Bearer " + KEY, "content-type", "application/json", "idempotency-key", idempotencyKey));
        e.setBody("{\"type\":\"test.flaky\",\"payload\":" + payload + "}");
        var ctx = new APIGatewayV2HTTPEvent.RequestContext();
        var http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("POST");
        ctx.setHttp(http);
        e.setRequestContext(ctx);
        return f.handleRequest(e, new TestContext(10_000));
    }

    @Test
    void concurrentRequestsWithOneKey_makeExactlyOneJob() throws Exception {
        String queue = environments.get(0).topology().workQueue("test.flaky");
        long before = servers.messageCount(queue);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<APIGatewayV2HTTPResponse>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SubmitFunction f = functions.get(i);
            futures.add(pool.submit(() -> {
                go.await();
                return post(f, "race-1", "{\"n\":1}");
            }));
        }
        go.countDown();
        int fresh = 0;
        Set<String> jobIds = new HashSet<>();
        for (Future<APIGatewayV2HTTPResponse> f : futures) {
            APIGatewayV2HTTPResponse r = f.get();
            assertThat(r.getStatusCode()).as(r.getBody()).isIn(202, 409);
            if (r.getStatusCode() == 202) {
                jobIds.add(Json.MAPPER.readTree(r.getBody()).get("jobId").asText());
                if (!"true".equals(r.getHeaders().get("Idempotent-Replayed"))) {
                    fresh++;
                }
            }
        }
        pool.shutdown();
        assertThat(fresh).isEqualTo(1);
        assertThat(jobIds).hasSize(1);
        assertThat(servers.messageCount(queue) - before).isEqualTo(1);
        // After the first completed, every later request replays it.
        APIGatewayV2HTTPResponse later = post(functions.get(2), "race-1", "{\"n\":1}");
        assertThat(later.getStatusCode()).isEqualTo(202);
        assertThat(later.getHeaders()).containsEntry("Idempotent-Replayed", "true");
        assertThat(Json.MAPPER.readTree(later.getBody()).get("jobId").asText()).isIn(jobIds);
    }

    @Test
    void sameKeyChangedBody_is422_acrossEnvironments() {
        assertThat(post(functions.get(0), "k-422", "{\"n\":1}").getStatusCode()).isEqualTo(202);
        assertThat(post(functions.get(1), "k-422", "{\"n\":2}").getStatusCode()).isEqualTo(422);
    }
}
