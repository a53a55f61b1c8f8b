package io.durablejobs.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablejobs.infra.model.DeploymentInputs;
import io.durablejobs.infra.model.FunctionTable;
import io.durablejobs.infra.model.QueuePlan;
import io.durablejobs.infra.model.TopologyModel;
import io.durablejobs.infra.stack.EventSourceMappings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure part: which queues get mappings. No jsii, milliseconds. */
class QueuePlanTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TopologyModel topology = TopologyModel.parse(
            DeploymentInputs.read(Synth.REPO_ROOT.resolve("infra/topology.json")));

    @Test
    void realFunctionTable_mapsEveryQueueFunctionToItsWorkQueue() {
        var functions = FunctionTable.parse(DeploymentInputs.read(Synth.REPO_ROOT.resolve("functions/functions.json")));
        QueuePlan plan = QueuePlan.of(topology, functions);
        long queueFunctions = functions.stream().filter(f -> f.trigger().isQueue()).count();
        assertThat(plan.mappings()).hasSize((int) queueFunctions);
        assertThat(plan.mappings()).allSatisfy(m -> assertThat(topology.queues()).extracting(TopologyModel.Queue::name).contains(m.queue()));
    }

    @Test
    void shards_keepShardZeroOnTheTypeQueue_andAddNumberedQueuesWithTheirOwnRoutingKey() {
        var plan = QueuePlan.of(topology, FunctionTable.parse(DeploymentInputs.read(Synth.FIXTURE_FUNCTIONS)));
        assertThat(plan.mappings()).extracting(QueuePlan.Mapping::queue).containsExactly(
                "jobs.webhook.deliver", "jobs.webhook.deliver.1", "jobs.webhook.deliver.2", "jobs.dead");
        List<String> declared = new ArrayList<>();
        for (JsonNode q : plan.deployTopology().path("queues")) {
            declared.add(q.path("name").asText());
        }
        assertThat(declared).contains("jobs.webhook.deliver", "jobs.webhook.deliver.1", "jobs.webhook.deliver.2", "jobs.dead");
        JsonNode shard2 = queueNamed(plan.deployTopology(), "jobs.webhook.deliver.2");
        assertThat(shard2.path("bindings").get(0).path("routingKey").asText()).isEqualTo("webhook.deliver.2");
        assertThat(shard2.path("bindings").get(0).path("exchange").asText()).isEqualTo("jobs.jobs");
        assertThat(shard2.path("arguments")).isEqualTo(queueNamed(plan.deployTopology(), "jobs.webhook.deliver").path("arguments"));
    }

    @Test
    void jobsShards_listsEveryTypeWithMoreThanOneShard_sortedByType() throws Exception {
        var fns = FunctionTable.parse(JSON.readTree("""
                {"defaults":{},"functions":[
                 {"name":"w","module":"m","artifact":"a","handler":"h","shards":4,"trigger":{"kind":"queue","jobType":"webhook.deliver"}},
                 {"name":"i","module":"m","artifact":"a","handler":"h","shards":2,"trigger":{"kind":"queue","jobType":"image.transform"}},
                 {"name":"e","module":"m","artifact":"a","handler":"h","shards":1,"trigger":{"kind":"queue","jobType":"example.hello"}},
                 {"name":"d","module":"m","artifact":"a","handler":"h","trigger":{"kind":"queue","role":"dead"}},
                 {"name":"s","module":"m","artifact":"a","handler":"h","trigger":{"kind":"http"}}]}"""));
        assertThat(QueuePlan.of(topology, fns).jobsShards()).isEqualTo("image.transform=2,webhook.deliver=4");
        assertThat(QueuePlan.of(topology, FunctionTable.parse(DeploymentInputs.read(Synth.FIXTURE_FUNCTIONS))).jobsShards())
                .isEqualTo("webhook.deliver=3");
        assertThat(QueuePlan.of(topology, FunctionTable.parse(DeploymentInputs.read(Synth.REPO_ROOT.resolve("functions/functions.json"))))
                .jobsShards()).as("nothing sharded").isEmpty();
    }

    @Test
    void workedTypes_areEachWorkersTypeOnce_sorted_withoutTheDeadQueuesConsumer() {
        var plan = QueuePlan.of(topology, FunctionTable.parse(DeploymentInputs.read(Synth.FIXTURE_FUNCTIONS)));
        assertThat(plan.workedTypes()).containsExactly("webhook.deliver");
        var real = QueuePlan.of(topology, FunctionTable.parse(DeploymentInputs.read(Synth.REPO_ROOT.resolve("functions/functions.json"))));
        assertThat(real.workedTypes()).containsExactly("example.hello", "image.transform", "pdf.render", "webhook.deliver");
    }

    @Test
    void reservedConcurrency_isPerMappingForQueueFunctions_asIsForHttp_noneWhenNull() throws Exception {
        var f = FunctionTable.parse(DeploymentInputs.read(Synth.FIXTURE_FUNCTIONS));
        assertThat(f).filteredOn(s -> s.name().equals("webhook-worker")).singleElement()
                .satisfies(s -> assertThat(s.reservedConcurrency()).isEqualTo(3));
        assertThat(f).filteredOn(s -> s.name().equals("submit")).singleElement()
                .satisfies(s -> assertThat(s.reservedConcurrency()).isEqualTo(50));
        assertThat(f).filteredOn(s -> s.name().equals("dlq-consumer")).singleElement()
                .satisfies(s -> assertThat(s.reservedConcurrency()).isNull());
        assertThatThrownBy(() -> FunctionTable.parse(JSON.readTree("{\"functions\":[{\"name\":\"x\",\"module\":\"m\",\"artifact\":\"a\","
                + "\"handler\":\"h\",\"trigger\":{\"kind\":\"http\"},\"concurrency\":0}]}")))
                .hasMessageContaining("concurrency must be >= 1");
    }

    @Test
    void deadRoleTrigger_consumesTheDeadQueue() throws Exception {
        var fns = FunctionTable.parse(JSON.readTree("""
                {"defaults":{},"functions":[{"name":"dlq","module":"m","artifact":"a","handler":"h",
                 "trigger":{"kind":"queue","role":"dead"}}]}"""));
        assertThat(QueuePlan.of(topology, fns).mappings()).extracting(QueuePlan.Mapping::queue).containsExactly("jobs.dead");
    }

    @Test
    void unknownJobType_failsWithAMessageThatSaysWhatToDo() throws Exception {
        var fns = FunctionTable.parse(JSON.readTree("""
                {"defaults":{},"functions":[{"name":"x","module":"m","artifact":"a","handler":"h",
                 "trigger":{"kind":"queue","jobType":"nope.nope"}}]}"""));
        assertThatThrownBy(() -> QueuePlan.of(topology, fns)).hasMessageContaining("nope.nope").hasMessageContaining("regenerate");
    }

    @Test
    void shardingADeadQueue_isRefused() throws Exception {
        assertThatThrownBy(() -> FunctionTable.parse(JSON.readTree("""
                {"defaults":{},"functions":[{"name":"x","module":"m","artifact":"a","handler":"h","shards":2,
                 "trigger":{"kind":"queue","role":"dead"}}]}"""))).hasMessageContaining("shards");
    }

    @Test
    void batchingWindow_500msIsTheAwsDefault_wholeSecondsExact_restRoundsUp() {
        assertThat(EventSourceMappings.batchingWindowSeconds(500)).isNull();
        assertThat(EventSourceMappings.batchingWindowSeconds(0)).isZero();
        assertThat(EventSourceMappings.batchingWindowSeconds(2000)).isEqualTo(2);
        assertThat(EventSourceMappings.batchingWindowSeconds(1500)).isEqualTo(2);
    }

    @Test
    void retryTiers_areReadFromTheTopologyInOrder() {
        assertThat(topology.retryTiers()).isEqualTo("1s,5s,30s,2m,10m,1h");
    }

    private static JsonNode queueNamed(JsonNode topology, String name) {
        for (JsonNode q : topology.path("queues")) {
            if (name.equals(q.path("name").asText())) {
                return q;
            }
        }
        throw new AssertionError("no queue " + name);
    }
}
