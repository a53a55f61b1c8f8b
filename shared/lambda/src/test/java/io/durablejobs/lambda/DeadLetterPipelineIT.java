package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.adapters.metrics.RedisMetricsView;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.topology.Topology;
import io.durablejobs.core.type.JobTypeRegistry;
import io.durablejobs.lambda.testing.BatchPump;
import io.durablejobs.lambda.testing.TestContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Dead letters end to end at the function level, over the real RabbitMQ and Redis: submit, the worker
 * through its retry tiers, the dead queue, the DLQ consumer, the admin API, replay, the ledger, and the
 * trace id from the submit request to the dead-letter record.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLetterPipelineIT {
    static final String KEY = "key-dlq-aaaaaaaaaaaaaaaa";
    static final String OTHER_KEY = "key-dlq-other-bbbbbbbbbbbb";
    static TestServers servers;
    static PlatformClients clients;
    static SubmitFunction submit;
    /** Serves /v1/dlq: the routes API Gateway sends to the store API function. */
    static StoreApiFunction storeApi;
    static WorkerFunction worker;
    static DeadLetterFunction dlq;
    static Map<String, String> env;

    static final class FlakyWorker extends WorkerFunction {
        FlakyWorker(PlatformClients c) {
            super("test.flaky", c, WorkerSettings.DEFAULTS);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        servers = new TestServers("dlq");
        Path dir = Files.createTempDirectory("dlq-it");
        env = new HashMap<>(System.getenv());
        env.put("JOBS_NAMESPACE", servers.namespace());
        env.put("JOBS_API_KEYS", "t1=" + KEY + ",t2=" + OTHER_KEY);
        env.put("JOBS_RETRY_TIERS", "200ms,400ms");
        env.put("JOBS_RABBITMQ_URI", TestServers.rabbitUri());
        env.put("JOBS_REDIS_URI", TestServers.redisUri());
        env.put("JOBS_DLQ_DIR", dir.toString());
        env.put("JOBS_DLQ_BULK_REPLAY_INTERVAL", "1s");
        env.remove("JOBS_DEAD_LETTER_BUCKET");
        env.remove("AWS_ENDPOINT_URL");
        clients = PlatformClients.connect(env, JobTypeRegistry.fromServiceLoader(), "dlq-it");
        TopologyDeclarer.declare(servers.amqp(), servers.track(clients.topology()));
        submit = new SubmitFunction(clients, SubmitSettings.from(env));
        storeApi = new StoreApiFunction(clients, StoreApiSettings.from(env));
        worker = new FlakyWorker(clients);
        dlq = new DeadLetterFunction(clients, DeadLetterSettings.from(env));
    }

    @AfterAll
    static void stop() throws Exception {
        clients.close();
        servers.close();
    }

    static APIGatewayV2HTTPResponse call(String method, String path, String key, String body, Map<String, String> extra) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setRawPath(path);
        int q = path.indexOf('?');
        if (q >= 0) {
            e.setRawPath(path.substring(0, q));
            e.setRawQueryString(path.substring(q + 1));
        }
        Map<String, String> headers = new HashMap<>(extra);
        headers.put("authorization", "Bearer " + key);
        headers.put("content-type", "application/json");
        e.setHeaders(headers);
        e.setBody(body);
        var ctx = new APIGatewayV2HTTPEvent.RequestContext();
        var http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        ctx.setHttp(http);
        ctx.setRequestId("it");
        e.setRequestContext(ctx);
        return (e.getRawPath().startsWith("/v1/dlq") ? storeApi : submit).handleRequest(e, new TestContext(10_000));
    }

    static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        return Json.MAPPER.readTree(r.getBody());
    }

    static String submitJob(String payload, String traceparent) throws Exception {
        var r = call("POST", "/v1/jobs", KEY, "{\"type\":\"test.flaky\",\"payload\":" + payload + "}",
                traceparent == null ? Map.of() : Map.of("traceparent", traceparent));
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(202);
        return json(r).get("jobId").asText();
    }

    static String status(String jobId) {
        return clients.store().find(jobId).orElseThrow().status().wire();
    }

    /** Runs the worker and the DLQ consumer over their queues until {@code done}. */
    static void pumpUntil(java.util.concurrent.Callable<Boolean> done) throws Exception {
        try (BatchPump work = new BatchPump(servers.amqp(), clients.topology().workQueue("test.flaky"));
             BatchPump dead = new BatchPump(servers.amqp(), clients.topology().deadQueue())) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
                work.pumpOnce(10, ev -> worker.handleRequest(ev, new TestContext(30_000)));
                dead.pumpOnce(10, ev -> dlq.handleRequest(ev, new TestContext(30_000)));
                return done.call();
            });
        }
    }

    static boolean listed(String key, String jobId) throws Exception {
        var r = call("GET", "/v1/dlq?limit=100", key, null, Map.of());
        for (JsonNode item : json(r).get("items")) {
            if (item.get("jobId").asText().equals(jobId)) {
                return true;
            }
        }
        return false;
    }

    static String deadJobId;
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    @Order(1)
    void exhaustedRetries_appearInTheDlq_withHistory_andTheSubmittedTraceId() throws Exception {
        deadJobId = submitJob("{\"failTimes\":4}", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
        pumpUntil(() -> listed(KEY, deadJobId));
        assertThat(status(deadJobId)).isEqualTo("dead_lettered");

        JsonNode one = json(call("GET", "/v1/dlq/" + deadJobId, KEY, null, Map.of()));
        assertThat(one.get("reason").asText()).isEqualTo("retries_exhausted");
        assertThat(one.get("attempts").asInt()).isEqualTo(4);
        assertThat(one.get("history")).hasSize(4);
        assertThat(one.get("payload").get("failTimes").asInt()).isEqualTo(4);
        assertThat(one.get("traceId").asText()).isEqualTo(TRACE_ID);
        assertThat(one.get("origin").asText()).isEqualTo("worker");

        JsonNode stats = json(call("GET", "/v1/stats", KEY, null, Map.of()));
        assertThat(stats.get("dead_lettered").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(stats.get("balanced").asBoolean()).isTrue();
    }

    @Test
    @Order(2)
    void anotherTenant_cannotSeeReplayOrDiscardIt() throws Exception {
        assertThat(call("GET", "/v1/dlq/" + deadJobId, OTHER_KEY, null, Map.of()).getStatusCode()).isEqualTo(404);
        assertThat(listed(OTHER_KEY, deadJobId)).isFalse();
        assertThat(call("POST", "/v1/dlq/" + deadJobId + "/replay", OTHER_KEY, null, Map.of()).getStatusCode()).isEqualTo(404);
        assertThat(call("DELETE", "/v1/dlq/" + deadJobId, OTHER_KEY, null, Map.of()).getStatusCode()).isEqualTo(404);
        assertThat(listed(KEY, deadJobId)).isTrue();
    }

    @Test
    @Order(3)
    void replay_succeeds_underTheSameJobId_withLineage_andAgainIs409() throws Exception {
        // Stale copies of earlier attempts (the broker may deliver a dead-lettered retry twice) would otherwise
        // take the replayed job's claim; let them be skipped first, as they are while the job is dead.
        drained();
        var r = call("POST", "/v1/dlq/" + deadJobId + "/replay", KEY, null, Map.of());
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(202);
        assertThat(json(r).get("jobId").asText()).isEqualTo(deadJobId);
        assertThat(listed(KEY, deadJobId)).isFalse();
        assertThat(call("POST", "/v1/dlq/" + deadJobId + "/replay", KEY, null, Map.of()).getStatusCode()).isEqualTo(409);

        pumpUntil(() -> status(deadJobId).equals("succeeded"));
        var job = clients.store().find(deadJobId).orElseThrow();
        assertThat(job.attempts()).isEqualTo(1);
        JsonNode record = json(call("GET", "/v1/dlq/" + deadJobId, KEY, null, Map.of()));
        assertThat(record.get("state").asText()).isEqualTo("replayed");
        assertThat(record.get("replay").get("by").asText()).startsWith("tenant:t1/key:");
        assertThat(clients.deadLetters().audits("t1", 10)).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("replay");
            assertThat(a.jobId()).isEqualTo(deadJobId);
        });
    }

    @Test
    @Order(4)
    void bulkReplayByType_replaysExactlyTheMatchingOnes_andDryRunOnlyCounts() throws Exception {
        String a = submitJob("{\"permanent\":true}", null);
        String b = submitJob("{\"permanent\":true}", null);
        pumpUntil(() -> listed(KEY, a) && listed(KEY, b));
        // A broker-made dead letter of another type: a message the broker rejected (no x-jobs headers).
        String other = rejectedByTheBroker();
        pumpUntil(() -> listed(KEY, other));
        JsonNode otherRecord = json(call("GET", "/v1/dlq/" + other, KEY, null, Map.of()));
        assertThat(otherRecord.get("reason").asText()).isEqualTo("rejected");
        assertThat(otherRecord.get("origin").asText()).isEqualTo("broker");
        assertThat(status(other)).isEqualTo("dead_lettered");

        var dry = call("POST", "/v1/dlq/replay", KEY, "{\"type\":\"test.flaky\",\"dryRun\":true}", Map.of());
        assertThat(json(dry).get("count").asInt()).isEqualTo(2);
        assertThat(listed(KEY, a)).isTrue();

        var bulk = call("POST", "/v1/dlq/replay", KEY, "{\"type\":\"test.flaky\",\"reason\":\"client_error\"}", Map.of());
        assertThat(bulk.getStatusCode()).as(bulk.getBody()).isEqualTo(202);
        assertThat(json(bulk).get("count").asInt()).isEqualTo(2);
        assertThat(listed(KEY, a)).isFalse();
        assertThat(listed(KEY, b)).isFalse();
        assertThat(listed(KEY, other)).as("another type is not replayed").isTrue();
        var again = call("POST", "/v1/dlq/replay", KEY, "{\"type\":\"test.flaky\"}", Map.of());
        assertThat(again.getStatusCode()).as("rate-limited").isEqualTo(429);
        assertThat(again.getHeaders()).containsKey("Retry-After");
        // They dead-letter again (permanent), as new deaths with the first kept as lineage.
        pumpUntil(() -> listed(KEY, a) && listed(KEY, b));
        assertThat(json(call("GET", "/v1/dlq/" + a, KEY, null, Map.of())).get("previous")).hasSize(1);

        assertThat(call("DELETE", "/v1/dlq/" + other, KEY, null, Map.of()).getStatusCode()).isEqualTo(204);
        assertThat(listed(KEY, other)).isFalse();
        assertThat(call("GET", "/v1/dlq/" + other, KEY, null, Map.of()).getStatusCode()).isEqualTo(404);
    }

    /** Pumps until no message of the job type waits in its work queue or a retry tier. */
    static void drained() throws Exception {
        pumpUntil(() -> {
            long waiting = 0;
            for (var q : clients.topology().queues()) {
                if (q.role() != io.durablejobs.core.topology.QueueSpec.Role.DEAD && q.role() != io.durablejobs.core.topology.QueueSpec.Role.PARKED) {
                    waiting += servers.messageCount(q.name());
                }
            }
            return waiting == 0;
        });
    }

    /** Submits a job of another type and has the broker dead-letter it (basic.reject without requeue). */
    static String rejectedByTheBroker() throws Exception {
        var r = call("POST", "/v1/jobs", KEY, "{\"type\":\"test.other\",\"payload\":{}}", Map.of());
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(202);
        String id = json(r).get("jobId").asText();
        try (Channel ch = servers.amqp().createChannel()) {
            GetResponse g = null;
            for (int i = 0; i < 100 && g == null; i++) {
                g = ch.basicGet(clients.topology().workQueue("test.other"), false);
                if (g == null) {
                    Thread.sleep(20);
                }
            }
            assertThat(g).isNotNull();
            ch.basicReject(g.getEnvelope().getDeliveryTag(), false);
        }
        return id;
    }

    @Test
    @Order(5)
    void aMalformedDeadMessage_isRecorded_notThrown() throws Exception {
        try (Channel ch = servers.amqp().createChannel()) {
            ch.confirmSelect();
            ch.basicPublish(clients.topology().deadLetterExchange(), "x", new AMQP.BasicProperties.Builder().messageId("bad-1")
                    .headers(Map.of("x-jobs-tenant", "t1", "x-jobs-reason", "undecodable", "x-jobs-history", "{not json")).build(),
                    "not a job".getBytes(StandardCharsets.UTF_8));
            ch.waitForConfirmsOrDie(5000);
        }
        pumpUntil(() -> clients.deadLetters().find("t1", "bad-1").isPresent());
        var d = clients.deadLetters().find("t1", "bad-1").orElseThrow();
        assertThat(d.payload()).isNull();
        assertThat(new String(java.util.Base64.getDecoder().decode(d.rawBody()), StandardCharsets.UTF_8)).isEqualTo("not a job");
        assertThat(call("POST", "/v1/dlq/bad-1/replay", KEY, null, Map.of()).getStatusCode()).isEqualTo(409);
    }

    @Test
    @Order(6)
    void anUnreachableStore_failsTheBatch_andTheMessageStaysInTheDeadQueue() throws Exception {
        Path notAFolder = Files.createTempFile("dlq", ".file");
        Map<String, String> broken = new HashMap<>(env);
        broken.put("JOBS_DLQ_DIR", notAFolder.toString());
        PlatformClients brokenClients = PlatformClients.connect(broken, JobTypeRegistry.fromServiceLoader(), "dlq-broken");
        try {
            DeadLetterFunction brokenDlq = new DeadLetterFunction(brokenClients, DeadLetterSettings.from(broken));
            String id = submitJob("{\"permanent\":true}", null);
            try (BatchPump work = new BatchPump(servers.amqp(), clients.topology().workQueue("test.flaky"))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    work.pumpOnce(10, ev -> worker.handleRequest(ev, new TestContext(30_000)));
                    return status(id).equals("dead_lettered");
                });
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> servers.messageCount(clients.topology().deadQueue()) > 0);
            try (BatchPump dead = new BatchPump(servers.amqp(), clients.topology().deadQueue())) {
                assertThatThrownBy(() -> dead.pumpOnce(10, ev -> brokenDlq.handleRequest(ev, new TestContext(30_000))))
                        .isInstanceOf(DeadLetterFunction.BatchNotRecordedException.class);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> servers.messageCount(clients.topology().deadQueue()) > 0);
            // With the store back, the same message is recorded: nothing was lost.
            pumpUntil(() -> listed(KEY, id));
        } finally {
            brokenClients.close();
        }
    }

    @Test
    @Order(7)
    void theLedgerBalances_afterSuccessesRetriesAndDeadLetters() throws Exception {
        String ok = submitJob("{\"failTimes\":0}", null);
        String retried = submitJob("{\"failTimes\":2}", null);
        String dead = submitJob("{\"failTimes\":99}", null);
        pumpUntil(() -> status(ok).equals("succeeded") && status(retried).equals("succeeded") && listed(KEY, dead));
        pumpUntil(() -> servers.messageCount(clients.topology().deadQueue()) == 0);
        JsonNode stats = json(call("GET", "/v1/stats", KEY, null, Map.of()));
        long accepted = stats.get("accepted").asLong();
        long succeeded = stats.get("succeeded").asLong();
        long deadLettered = stats.get("dead_lettered").asLong();
        long inFlight = stats.get("in_flight").asLong();
        assertThat(accepted).isEqualTo(succeeded + deadLettered + inFlight);
        assertThat(inFlight).as(stats.toString()).isZero();
        // Jobs so far: 1 replayed to success, 2 permanent (replayed, dead again), 1 rejected (discarded: still counted
        // dead), 1 dead via the broken-store test, then ok + retried + dead here.
        assertThat(accepted).isEqualTo(8);
        assertThat(succeeded).isEqualTo(3);
        assertThat(deadLettered).isEqualTo(5);
        assertThat(stats.get("types").get("test.flaky").get("accepted").asLong()).isEqualTo(7);
        assertThat(stats.get("balanced").asBoolean()).isTrue();
    }
    @Test
    @Order(8)
    void aDeadLetterTheConsumerFailsOnMoreThan20TimesInARow_isParkedNotDropped_thenRecordedOnce() throws Exception {
        Path notAFolder = Files.createTempFile("dlq", ".file");
        Map<String, String> broken = new HashMap<>(env);
        broken.put("JOBS_DLQ_DIR", notAFolder.toString());
        PlatformClients brokenClients = PlatformClients.connect(broken, JobTypeRegistry.fromServiceLoader(), "dlq-broken-long");
        String deadQueue = clients.topology().deadQueue();
        String parkedQueue = clients.topology().parkedDeadQueue();
        try {
            DeadLetterFunction brokenDlq = new DeadLetterFunction(brokenClients, DeadLetterSettings.from(broken));
            // A broker-made death (no headers of ours): its reason must survive the park, read from x-death.
            String id = rejectedByTheBroker();
            await().atMost(Duration.ofSeconds(5)).until(() -> servers.messageCount(deadQueue) == 1);
            int failures = 0;
            try (BatchPump dead = new BatchPump(servers.amqp(), deadQueue)) {
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (servers.messageCount(parkedQueue) == 0 && System.nanoTime() < until) {
                    try {
                        if (dead.pumpOnce(10, ev -> brokenDlq.handleRequest(ev, new TestContext(30_000))) == 0) {
                            Thread.sleep(20);
                        }
                    } catch (DeadLetterFunction.BatchNotRecordedException expected) {
                        failures++;
                    }
                }
            }
            assertThat(failures).as("failed deliveries before the park").isGreaterThan(20);
            assertThat(servers.messageCount(parkedQueue)).isEqualTo(1);
            assertThat(new io.durablejobs.adapters.dlq.ParkedDeadLetterDrain(servers.amqp(), parkedQueue, deadQueue).count())
                    .as("what the DlqParked metric reports").isEqualTo(1);
            assertThat(servers.messageCount(deadQueue)).isZero();
            assertThat(listed(KEY, id)).isFalse();

            // The schedule's empty event while the store is still down: the letter stays parked, nothing thrown.
            brokenDlq.handleRequest(new com.amazonaws.services.lambda.runtime.events.RabbitMQEvent(), new TestContext(30_000));
            assertThat(servers.messageCount(parkedQueue)).isEqualTo(1);

            // The store is back: the next run records it, as the broker's death of the job, not as the park.
            dlq.handleRequest(new com.amazonaws.services.lambda.runtime.events.RabbitMQEvent(), new TestContext(30_000));
            assertThat(servers.messageCount(parkedQueue)).isZero();
            JsonNode record = json(call("GET", "/v1/dlq/" + id, KEY, null, Map.of()));
            assertThat(record.get("reason").asText()).isEqualTo("rejected");
            assertThat(record.get("sourceQueue").asText()).isEqualTo(clients.topology().workQueue("test.other"));
            assertThat(status(id)).isEqualTo("dead_lettered");
            long copies = 0;
            for (JsonNode item : json(call("GET", "/v1/dlq?limit=100", KEY, null, Map.of())).get("items")) {
                copies += item.get("jobId").asText().equals(id) ? 1 : 0;
            }
            assertThat(copies).as("recorded once").isEqualTo(1);
        } finally {
            brokenClients.close();
        }
    }

    @Test
    @Order(9)
    void everyMinute_queueDepthIsPushedPerType_includingDeployedTypesNotOnTheConsumersClasspath() throws Exception {
        // A custom type's worker ships its own jar, so the DLQ consumer is told the deployed types by infra.
        Topology custom = servers.track(new Topology(servers.namespace(), clients.config().queueType(), clients.config().deliveryLimit(),
                clients.config().retryTiers(), List.of("custom.only")));
        TopologyDeclarer.declare(servers.amqp(), custom);
        try (Channel ch = servers.amqp().createChannel()) {
            ch.confirmSelect();
            for (int i = 0; i < 2; i++) {
                ch.basicPublish(custom.jobsExchange(), "custom.only", true, new AMQP.BasicProperties(), "{}".getBytes(StandardCharsets.UTF_8));
            }
            ch.waitForConfirmsOrDie(5000);
        }
        Map<String, String> withTypes = new HashMap<>(env);
        withTypes.put("JOBS_QUEUE_DEPTH_TYPES", "custom.only,test.flaky");
        new DeadLetterFunction(clients, DeadLetterSettings.from(withTypes)).handleRequest(new RabbitMQEvent(), new TestContext(10_000));
        Map<String, Double> view = new RedisMetricsView(clients.redis().commands(), servers.namespace()).read();
        assertThat(view).containsEntry("QueueDepth|Type=custom.only|last", 2.0).containsEntry("QueueDepth|Type=test.flaky|last", 0.0);
        // Without the setting, the registered types only.
        dlq.handleRequest(new RabbitMQEvent(), new TestContext(10_000));
        assertThat(new RedisMetricsView(clients.redis().commands(), servers.namespace()).read()).containsKey("QueueDepth|Type=test.flaky|last");
    }
}
