package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.durablejobs.contract.ContractProxy;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.topology.QueueSpec;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A hot type spread over three queues, each with its own mapping (and so its own concurrent environment on
 * AWS): the API spreads jobs over every shard, retries come back to their shard, and a worker host with
 * one mapping per shard drains them all.
 */
class ShardingIT {
    static final String KEY = "key-shards-aaaaaaaaaaaaaa";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static HostOptions options(String namespace, String... functions) throws Exception {
        Map<String, String> env = ItSupport.hostEnv(namespace);
        env.put("JOBS_API_KEYS", "acme=" + KEY);
        env.put("JOBS_RETRY_TIERS", "200ms,1s");
        FunctionTable table;
        try (InputStream in = ShardingIT.class.getResourceAsStream("/sharded-functions.json")) {
            table = FunctionTable.parse(in);
        }
        return HostOptions.of(env).withFunctionTable(table).withFunctions(functions).withHttpPort(0);
    }

    @Test
    void jobsSpreadOverEveryShard_andOneMappingPerShardDrainsThem() throws Exception {
        String ns = ItSupport.namespace();
        List<String> ids = new ArrayList<>();
        List<QueueSpec> shards;
        try (LocalHost api = LocalHost.start(options(ns, "submit")); ContractProxy contract = ContractProxy.start(api.apiUrl())) {
            shards = api.topology().workQueuesOf("example.hello");
            assertThat(shards).extracting(QueueSpec::name).containsExactly(ns + ".example.hello", ns + ".example.hello.1", ns + ".example.hello.2");
            for (int i = 0; i < 30; i++) {
                String name = i % 5 == 0 ? "fail" : "n" + i; // "fail" fails its first attempt: a retry through the tiers
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(contract.url().resolve("/v1/jobs"))
                        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"example.hello\",\"payload\":{\"name\":\"" + name + "\"}}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                ids.add(Json.MAPPER.readTree(r.body()).get("jobId").asText());
            }
            long total = 0;
            for (QueueSpec q : shards) {
                long n = ItSupport.ready(api.topology(), q.name());
                assertThat(n).as("jobs in " + q.name()).isPositive();
                total += n;
            }
            assertThat(total).isEqualTo(30);
            contract.assertKept();
        }
        try (LocalHost both = LocalHost.start(options(ns, "submit", "hello-worker")); ContractProxy contract = ContractProxy.start(both.apiUrl())) {
            assertThat(both.functions()).hasSize(2);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                for (String id : ids) {
                    String body = HTTP.send(HttpRequest.newBuilder(contract.url().resolve("/v1/jobs/" + id))
                            .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
                    if (!Json.MAPPER.readTree(body).path("status").asText().equals("succeeded")) {
                        return false;
                    }
                }
                return true;
            });
            for (QueueSpec q : shards) {
                assertThat(ItSupport.ready(both.topology(), q.name())).as(q.name()).isZero();
            }
            contract.assertKept();
            ItSupport.deleteTopology(both.topology());
        }
    }
}
