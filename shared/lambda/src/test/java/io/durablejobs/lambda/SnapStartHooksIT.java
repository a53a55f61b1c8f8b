package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.durablejobs.adapters.amqp.TopologyDeclarer;
import io.durablejobs.adapters.testing.TestServers;
import io.durablejobs.core.json.Json;
import io.durablejobs.lambda.testing.TestContext;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The submit function's SnapStart hooks, run as Lambda runs them around a snapshot, on a function wired
 * from its environment against the real RabbitMQ and Redis.
 */
class SnapStartHooksIT {
    static final String KEY_BEFORE = "key-snap-before-aaaaaaaaaaaa";
    static final String KEY_ROTATED = "key-snap-rotated-bbbbbbbbbbb";

    TestServers servers;
    AtomicReference<Map<String, String>> environment = new AtomicReference<>();
    SubmitFunction function;

    @BeforeEach
    void wire() throws Exception {
        servers = new TestServers("snapstart");
        Map<String, String> env = new HashMap<>();
        env.put("JOBS_NAMESPACE", servers.namespace());
        env.put("JOBS_API_KEYS", "t1=" + KEY_BEFORE);
        env.put("JOBS_RABBITMQ_URI", TestServers.rabbitUri());
        env.put("JOBS_REDIS_URI", TestServers.redisUri());
        environment.set(Map.copyOf(env));
        function = new SubmitFunction(environment::get);
        TopologyDeclarer.declare(servers.amqp(), servers.track(function.wiring().owned().topology()));
    }

    @AfterEach
    void close() throws Exception {
        SubmitFunction.Wiring w = function.wiring();
        if (w != null && w.owned() != null) {
            w.owned().close();
        }
        servers.close();
    }

    @Test
    void before_the_snapshot_the_request_path_is_primed_without_a_job_and_every_connection_is_closed() throws Exception {
        String queue = function.wiring().owned().topology().workQueue("test.flaky");
        PlatformClients snapshotted = function.wiring().owned();

        function.hooks().beforeCheckpoint(null);

        assertThat(function.hooks().primedStatus()).as("the primed GET of a job that cannot exist").isEqualTo(404);
        assertThat(servers.messageCount(queue)).as("priming queues nothing").isZero();
        assertThat(snapshotted.amqp().isOpen()).as("broker connection").isFalse();
        assertThatThrownBy(() -> snapshotted.redis().commands().get("any")).as("Redis connection").isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> post(KEY_BEFORE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void after_restore_the_rotated_secrets_are_read_again_and_requests_are_served_on_new_connections() throws Exception {
        String queue = function.wiring().owned().topology().workQueue("test.flaky");
        assertThat(post(KEY_BEFORE).getStatusCode()).isEqualTo(202);

        function.hooks().beforeCheckpoint(null);
        Map<String, String> rotated = new HashMap<>(environment.get());
        rotated.put("JOBS_API_KEYS", "t1=" + KEY_ROTATED);
        environment.set(Map.copyOf(rotated));
        function.hooks().afterRestore(null);

        assertThat(function.wiring().owned().amqp().isOpen()).isTrue();
        assertThat(post(KEY_BEFORE).getStatusCode()).as("the key rotated away").isEqualTo(401);
        APIGatewayV2HTTPResponse accepted = post(KEY_ROTATED);
        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        String jobId = Json.MAPPER.readTree(accepted.getBody()).get("jobId").asText();
        assertThat(get(KEY_ROTATED, jobId).getStatusCode()).isEqualTo(200);
        assertThat(servers.messageCount(queue)).as("one job before the snapshot, one after the restore").isEqualTo(2);
    }

    @Test
    void the_store_api_function_primes_a_dead_letter_read_closes_its_clients_and_reopens_them_after_restore() throws Exception {
        Map<String, String> env = new HashMap<>(environment.get());
        env.put("JOBS_DLQ_DIR", java.nio.file.Files.createTempDirectory("snap-dlq").toString());
        env.put("JOBS_BLOB_DIR", java.nio.file.Files.createTempDirectory("snap-blobs").toString());
        StoreApiFunction store = new StoreApiFunction(() -> Map.copyOf(env));
        try {
            PlatformClients snapshotted = store.wiring().owned();
            store.hooks().beforeCheckpoint(null);
            assertThat(store.hooks().primedStatus()).as("the primed GET of a dead letter that cannot exist").isEqualTo(404);
            assertThat(snapshotted.amqp().isOpen()).as("broker connection").isFalse();
            assertThatThrownBy(() -> store.handleRequest(event("GET", "/v1/dlq", KEY_BEFORE, null), new TestContext(10_000)))
                    .isInstanceOf(IllegalStateException.class);

            store.hooks().afterRestore(null);
            APIGatewayV2HTTPResponse listed = store.handleRequest(event("GET", "/v1/dlq", KEY_BEFORE, null), new TestContext(10_000));
            assertThat(listed.getStatusCode()).as(listed.getBody()).isEqualTo(200);
            assertThat(store.handleRequest(event("GET", "/v1/jobs/x", KEY_BEFORE, null), new TestContext(10_000)).getStatusCode())
                    .as("the jobs routes are the submit function's").isEqualTo(404);
        } finally {
            if (store.wiring() != null && store.wiring().owned() != null) {
                store.wiring().owned().close();
            }
        }
    }

    @Test
    void the_first_api_key_is_taken_from_the_tenant_key_list() {
        assertThat(SnapStartHooks.firstApiKey("t1=abc, t2=def")).isEqualTo("abc");
        assertThat(SnapStartHooks.firstApiKey("")).isNull();
        assertThat(SnapStartHooks.firstApiKey(null)).isNull();
    }

    APIGatewayV2HTTPResponse post(String key) {
        return function.handleRequest(event("POST", "/v1/jobs", key, "{\"type\":\"test.flaky\",\"payload\":{}}"), new TestContext(10_000));
    }

    APIGatewayV2HTTPResponse get(String key, String jobId) {
        return function.handleRequest(event("GET", "/v1/jobs/" + jobId, key, null), new TestContext(10_000));
    }

    static APIGatewayV2HTTPEvent event(String method, String path, String key, String body) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setRawPath(path);
        e.setHeaders(Map.of("authorization", "Bearer " + key, "content-type", "application/json"));
        e.setBody(body);
        var ctx = new APIGatewayV2HTTPEvent.RequestContext();
        var http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        ctx.setHttp(http);
        e.setRequestContext(ctx);
        return e;
    }
}
