package io.durablejobs.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** The dev stage with a fixture function table: a sharded worker and a DLQ consumer (trigger role dead). */
class DevFixtureStackTest {
    private static Synth.Result dev;
    private static TemplateView view;

    @BeforeAll
    static void synth() {
        dev = Synth.fixture("dev");
        view = new TemplateView(dev.json());
    }

    @Test
    void devBroker_isSingleInstance_inOneSubnet_andPrivate() {
        dev.template().hasResourceProperties("AWS::AmazonMQ::Broker", Map.of(
                "DeploymentMode", "SINGLE_INSTANCE", "PubliclyAccessible", false));
        assertThat(view.ofType("AWS::AmazonMQ::Broker").get(0).path("Properties").path("SubnetIds")).hasSize(1);
    }

    @Test
    void shardedType_getsOneMappingPerShard_andTheDeadQueueItsOwn() {
        Map<String, String> queueToFunction = new java.util.TreeMap<>();
        for (JsonNode m : view.ofType("AWS::Lambda::EventSourceMapping")) {
            JsonNode p = m.path("Properties");
            assertThat(p.path("Queues")).hasSize(1);
            assertThat(p.path("SourceAccessConfigurations")).hasSize(2);
            queueToFunction.put(p.path("Queues").get(0).asText(), view.functionNameOf(p.path("FunctionName")));
        }
        assertThat(queueToFunction).containsExactlyInAnyOrderEntriesOf(Map.of(
                "jobs.webhook.deliver", "jobs-dev-webhook-worker",
                "jobs.webhook.deliver.1", "jobs-dev-webhook-worker",
                "jobs.webhook.deliver.2", "jobs-dev-webhook-worker",
                "jobs.dead", "jobs-dev-dlq-consumer:live")); // SnapStart: the mapping invokes the alias
        dev.template().hasResourceProperties("AWS::Lambda::EventSourceMapping", Match.objectLike(Map.of(
                "Queues", List.of("jobs.webhook.deliver.2"), "BatchSize", 10, "MaximumBatchingWindowInSeconds", 2)));
        String topology = view.ofType("Custom::RabbitMqTopology").get(0).path("Properties").path("Topology").asText();
        assertThat(topology).contains("\"jobs.webhook.deliver.1\"").contains("\"webhook.deliver.2\"");
    }

    @Test
    void devBroker_isNotRetained_reservedConcurrencyCoversEveryShard_andSnapStartFromTheTable() {
        JsonNode broker = dev.json().path("Resources").properties().stream()
                .filter(e -> "AWS::AmazonMQ::Broker".equals(e.getValue().path("Type").asText())).map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(broker.path("DeletionPolicy").asText("Delete")).isEqualTo("Delete");
        assertThat(dev.stack().getTerminationProtection()).isNotEqualTo(Boolean.TRUE);
        assertThat(view.functionNamed("jobs-dev-webhook-worker").path("Properties").path("ReservedConcurrentExecutions").asInt()).isEqualTo(3);
        assertThat(view.functionNamed("jobs-dev-submit").path("Properties").path("ReservedConcurrentExecutions").asInt()).isEqualTo(50);
        assertThat(view.functionNamed("jobs-dev-dlq-consumer").path("Properties").has("ReservedConcurrentExecutions")).isFalse();
        assertThat(view.functionNamed("jobs-dev-submit").path("Properties").path("SnapStart").path("ApplyOn").asText()).isEqualTo("PublishedVersions");
    }

    @Test
    void shardCounts_reachEveryFunction_asJobsShards() {
        List<JsonNode> fns = view.ofType("AWS::Lambda::Function").stream()
                .filter(f -> f.path("Properties").has("FunctionName")).toList(); // not the provider framework's
        assertThat(fns).extracting(f -> f.path("Properties").path("FunctionName").asText()).containsExactlyInAnyOrder(
                "jobs-dev-submit", "jobs-dev-webhook-worker", "jobs-dev-dlq-consumer", "jobs-dev-topology-deployer");
        assertThat(fns).allSatisfy(f -> assertThat(f.path("Properties").path("Environment").path("Variables")
                .path("JOBS_SHARDS").asText()).as(f.path("Properties").path("FunctionName").asText()).isEqualTo("webhook.deliver=3"));
    }

    @Test
    void dlqConsumer_mayWriteDeadLetterRecordsAndMetrics_only() {
        List<String> actions = actionsOfRole("Lambda jobs-dev-dlq-consumer");
        // The S3 dead-letter store reads a record before rewriting it, lists its index and removes stale keys.
        assertThat(actions).contains("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket",
                "cloudwatch:PutMetricData", "mq:DescribeBroker");
        JsonNode fn = view.functionNamed("jobs-dev-dlq-consumer").path("Properties");
        assertThat(fn.path("MemorySize").asInt()).isEqualTo(512); // from the defaults block
        assertThat(actionsOfRole("Lambda jobs-dev-submit")).doesNotContain("cloudwatch:PutMetricData");
        assertThat(actionsOfRole("Lambda jobs-dev-webhook-worker")).doesNotContain("cloudwatch:PutMetricData", "s3:PutObject", "s3:GetObject");
        assertThat(view.ofType("AWS::Events::Rule")).singleElement().satisfies(r -> {
            assertThat(r.path("Properties").path("Name").asText()).isEqualTo("jobs-dev-dlq-consumer-metrics");
            // SnapStart: the schedule invokes the alias, and may
            assertThat(view.functionNameOf(r.path("Properties").path("Targets").get(0).path("Arn"))).isEqualTo("jobs-dev-dlq-consumer:live");
        });
        assertThat(view.ofType("AWS::Lambda::Permission").stream().filter(p -> p.toString().contains("events.amazonaws.com")))
                .singleElement().satisfies(p -> assertThat(view.functionNameOf(p.path("Properties").path("FunctionName")))
                        .isEqualTo("jobs-dev-dlq-consumer:live"));
    }

    private static List<String> actionsOfRole(String description) {
        String roleId = dev.json().path("Resources").properties().stream()
                .filter(e -> description.equals(e.getValue().path("Properties").path("Description").asText()))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        List<String> actions = new ArrayList<>();
        for (JsonNode p : view.ofType("AWS::IAM::Policy")) {
            if (p.path("Properties").path("Roles").toString().contains(roleId)) {
                for (JsonNode st : p.path("Properties").path("PolicyDocument").path("Statement")) {
                    TemplateView.list(st.path("Action")).forEach(a -> actions.add(a.asText()));
                }
            }
        }
        return actions;
    }
}
