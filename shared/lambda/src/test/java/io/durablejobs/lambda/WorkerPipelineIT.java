package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.lambda.testing.BatchPump;
import io.durablejobs.lambda.testing.FlakyJobType;
import io.durablejobs.lambda.testing.TestContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The submit and worker functions over the real RabbitMQ and Redis: retries go through the TTL tier
 * queues and come back, permanent failures reach the dead queue with their history, and a batch the
 * function could not hand on comes back whole.
 */
class WorkerPipelineIT {
    static final String KEY = "key-pipeline-aaaaaaaaaaaa";
    static TestServers servers;
    static PlatformClients clients;
    static SubmitFunction submit;
    static WorkerFunction worker;

    static final class FlakyWorker extends WorkerFunction {
        FlakyWorker(PlatformClients c) {
            super("test.flaky", c, WorkerSettings.DEFAULTS);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        servers = new TestServers("pipeline");
        Map<String, String> env = new HashMap<>();
        env.put("JOBS_NAMESPACE", servers.namespace());
        env.put("JOBS_API_KEYS", "t1=" + KEY);
        env.put("JOBS_RETRY_TIERS", "200ms,400ms");
        env.put("JOBS_RABBITMQ_URI", TestServers.rabbitUri());
        env.put("JOBS_REDIS_URI", TestServers.redisUri());
        clients = PlatformClients.connect(env, JobTypeRegistry.fromServiceLoader(), "pipeline-it");
        TopologyDeclarer.declare(servers.amqp(), servers.track(clients.topology()));
        submit = new SubmitFunction(clients, SubmitSettings.DEFAULTS);
        worker = new FlakyWorker(clients);
    }

    @AfterAll
    static void stop() throws Exception {
        clients.close();
        servers.close();
    }

    static String submitJob(String payload) throws Exception {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setRawPath("/v1/jobs");
        e.setHeaders(Map.of("authorization", "Bearer " + KEY, "content-type", "application/json"));
        e.setBody("{\"type\":\"test.flaky\",\"payload\":" + payload + "}");
        var ctx = new APIGatewayV2HTTPEvent.RequestContext();
        var http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("POST");
        ctx.setHttp(http);
        ctx.setRequestId("it");
        e.setRequestContext(ctx);
        var r = submit.handleRequest(e, new TestContext(10_000));
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(202);
        return Json.MAPPER.readTree(r.getBody()).get("jobId").asText();
    }

    static JsonNode status(String jobId) {
        var r = clients.store().find(jobId).orElseThrow();
        return io.durablejobs.core.api.JobViews.status(r);
    }

    /** Runs the worker over its queue until the job reaches {@code status}. */
    static void runUntil(String jobId, String wanted) throws Exception {
        try (BatchPump pump = new BatchPump(servers.amqp(), clients.topology().workQueue("test.flaky"))) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                pump.pumpOnce(10, ev -> worker.handleRequest(ev, new TestContext(30_000)));
                return status(jobId).get("status").asText().equals(wanted);
            });
        }
    }

    @Test
    void failsTwiceThenSucceeds_afterTwoRetriesThroughTheTiers() throws Exception {
        String id = submitJob("{\"failTimes\":2,\"echo\":\"done\"}");
        runUntil(id, "succeeded");
        JsonNode s = status(id);
        assertThat(s.get("attempts").asInt()).isEqualTo(3);
        assertThat(s.get("result").asText()).isEqualTo("done");
        assertThat(s.has("error")).isFalse();
        assertThat(FlakyJobType.RUNS.get(id).get()).isEqualTo(3);
    }

    @Test
    void permanentFailure_landsInTheDeadQueue_withItsHistory() throws Exception {
        String id = submitJob("{\"permanent\":true}");
        runUntil(id, "dead_lettered");
        assertThat(status(id).get("error").asText()).contains("client_error");
        try (Channel ch = servers.amqp().createChannel()) {
            GetResponse dead = null;
            for (int i = 0; i < 50 && dead == null; i++) {
                GetResponse g = ch.basicGet(clients.topology().deadQueue(), false);
                if (g != null && id.equals(g.getProps().getMessageId())) {
                    dead = g;
                } else if (g != null) {
                    ch.basicNack(g.getEnvelope().getDeliveryTag(), false, true);
                } else {
                    Thread.sleep(50);
                }
            }
            assertThat(dead).as("dead letter of " + id).isNotNull();
            assertThat(dead.getProps().getHeaders().get("x-jobs-reason").toString()).isEqualTo("client_error");
            assertThat(dead.getProps().getHeaders().get("x-jobs-history").toString()).contains("HTTP 400");
            assertThat(dead.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(new String(dead.getBody(), StandardCharsets.UTF_8)).contains(id);
        }
    }

    @Test
    void exhaustedRetries_deadLetter_withEveryAttemptInTheHistory() throws Exception {
        String id = submitJob("{\"failTimes\":99}");
        runUntil(id, "dead_lettered");
        assertThat(status(id).get("attempts").asInt()).isEqualTo(4);
        assertThat(status(id).get("error").asText()).contains("retries_exhausted");
        assertThat(FlakyJobType.RUNS.get(id).get()).isEqualTo(4);
    }

    @Test
    void aBatchThatCannotBeHandedOn_isRedeliveredWhole_withRedeliveredTrue() throws Exception {
        String id = submitJob("{\"failTimes\":1}");
        String queue = clients.topology().workQueue("test.flaky");
        try (BatchPump pump = new BatchPump(servers.amqp(), queue)) {
            // The first invocation throws as a function does when its broker hand-off fails.
            assertThatThrownBy(() -> pump.pumpOnce(10, ev -> {
                throw new WorkerFunction.BatchNotHandedOnException("simulated", null);
            })).isInstanceOf(WorkerFunction.BatchNotHandedOnException.class);
            boolean[] sawRedelivered = {false};
            await().atMost(Duration.ofSeconds(5)).until(() -> pump.pumpOnce(10, ev -> {
                ev.getRmqMessagesByQueue().values().forEach(l -> l.forEach(m -> sawRedelivered[0] |= m.getRedelivered()));
                return worker.handleRequest(ev, new TestContext(30_000));
            }) > 0);
            assertThat(sawRedelivered[0]).isTrue();
        }
        runUntil(id, "succeeded");
    }
}
