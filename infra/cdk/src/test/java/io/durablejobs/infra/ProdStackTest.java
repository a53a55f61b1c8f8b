package io.durablejobs.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durablejobs.infra.model.FunctionSpec;
import io.durablejobs.infra.model.QueuePlan;
import io.durablejobs.infra.stack.FunctionRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The prod stage synthesized from the real functions/functions.json and infra/topology.json, once. */
class ProdStackTest {
    private static Synth.Result prod;
    private static Template template;
    private static TemplateView view;

    @BeforeAll
    static void synth() {
        prod = Synth.stage("prod");
        template = prod.template();
        view = new TemplateView(prod.json());
    }

    @Test
    void broker_isRabbitMq42Cluster_notPubliclyAccessible_withCredentialsFromSecretsManager() {
        template.resourceCountIs("AWS::AmazonMQ::Broker", 1);
        template.hasResourceProperties("AWS::AmazonMQ::Broker", Map.of(
                "EngineType", "RABBITMQ",
                "EngineVersion", "4.2",
                "DeploymentMode", "CLUSTER_MULTI_AZ",
                "PubliclyAccessible", false));
        JsonNode broker = view.ofType("AWS::AmazonMQ::Broker").get(0).path("Properties");
        assertThat(broker.path("Users").get(0).path("Password").toString()).contains("resolve:secretsmanager");
    }

    @Test
    void oneMappingPerQueue_withExactlyOneQueue_andBothSourceAccessConfigurations() {
        List<JsonNode> mappings = view.ofType("AWS::Lambda::EventSourceMapping");
        assertThat(mappings).hasSize(prod.inputs().queuePlan().mappings().size()).isNotEmpty();
        String brokerSecretId = secretLogicalId("BrokerAdminSecret");
        List<String> queues = new ArrayList<>();
        for (JsonNode m : mappings) {
            JsonNode p = m.path("Properties");
            assertThat(p.path("Queues")).hasSize(1);
            queues.add(p.path("Queues").get(0).asText());
            assertThat(p.path("EventSourceArn").path("Fn::GetAtt").get(0).asText()).startsWith("Broker");
            JsonNode sac = p.path("SourceAccessConfigurations");
            assertThat(sac).hasSize(2);
            assertThat(sac.get(0).path("Type").asText()).isEqualTo("BASIC_AUTH");
            assertThat(sac.get(0).path("URI").path("Ref").asText()).isEqualTo(brokerSecretId);
            assertThat(sac.get(1).path("Type").asText()).isEqualTo("VIRTUAL_HOST");
            assertThat(sac.get(1).path("URI").asText()).isEqualTo("/");
        }
        assertThat(queues).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(prod.inputs().queuePlan().mappings().stream().map(QueuePlan.Mapping::queue).toList());
        // Every work queue of the topology that has a worker is consumed; retry queues never are.
        assertThat(queues).noneMatch(q -> q.contains(".retry."));
    }

    @Test
    void mapping_batchSizeAndFunction_comeFromFunctionsJson() {
        for (JsonNode m : view.ofType("AWS::Lambda::EventSourceMapping")) {
            JsonNode p = m.path("Properties");
            String fn = view.functionNameOf(p.path("FunctionName"));
            FunctionSpec spec = specNamed(fn);
            assertThat(p.path("BatchSize").asInt()).isEqualTo(spec.batchSize());
            assertThat(m.path("DependsOn").toString()).contains("TopologyDeployment");
        }
    }

    @Test
    void functions_haveTheMemoryTimeoutAndHandlerOfFunctionsJson() {
        for (FunctionSpec f : prod.inputs().functions()) {
            JsonNode p = view.functionNamed("jobs-prod-" + f.name()).path("Properties");
            assertThat(p.path("MemorySize").asInt()).as(f.name() + " memory").isEqualTo(f.memoryMb());
            assertThat(p.path("Timeout").asInt()).as(f.name() + " timeout").isEqualTo(f.timeoutSeconds());
            assertThat(p.path("Handler").asText()).isEqualTo(f.handler());
            assertThat(p.path("Runtime").asText()).isEqualTo(f.runtime());
            JsonNode env = p.path("Environment").path("Variables");
            assertThat(env.path("JOBS_NAMESPACE").asText()).isEqualTo("jobs");
            assertThat(env.path("JOBS_QUEUE_TYPE").asText()).isEqualTo("quorum");
            assertThat(env.path("JOBS_REDIS_CLUSTER").asText()).isEqualTo("true");
            assertThat(env.has("JOBS_RABBITMQ_SECRET_ARN")).isTrue();
            assertThat(env.has("JOBS_REDIS_SECRET_ARN")).isTrue();
            assertThat(env.has("JOBS_API_KEYS_SECRET_ARN")).isEqualTo(f.trigger().isHttp());
            assertThat(p.has("VpcConfig")).isTrue();
        }
    }

    @Test
    void alarms_pageTheTopic_withTheirThresholds() {
        Map<String, Object[]> expected = Map.of(
                "jobs-prod-dead-letters", new Object[] {"DeadLetters", 0, "Sum"},
                "jobs-prod-dlq-oldest-age", new Object[] {"DlqOldestAgeSeconds", 3600, "Maximum"},
                "jobs-prod-breaker-open", new Object[] {"BreakerOpen", 0, "Maximum"},
                "jobs-prod-ledger-mismatch", new Object[] {"LedgerMismatch", 0, "Maximum"},
                "jobs-prod-dlq-parked", new Object[] {"DlqParked", 0, "Maximum"});
        expected.forEach((name, e) -> template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "AlarmName", name,
                "Namespace", "DurableJobs",
                "MetricName", e[0],
                "Threshold", e[1],
                "Statistic", e[2],
                "ComparisonOperator", "GreaterThanThreshold",
                "TreatMissingData", "notBreaching",
                "Dimensions", List.of(Map.of("Name", "Namespace", "Value", "jobs"))))));
        for (FunctionSpec f : prod.inputs().functions()) {
            template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                    "AlarmName", "jobs-prod-" + f.name() + "-errors", "Namespace", "AWS/Lambda", "MetricName", "Errors", "Threshold", 0)));
        }
        List<JsonNode> alarms = view.ofType("AWS::CloudWatch::Alarm");
        long queueFunctions = prod.inputs().functions().stream().filter(f -> f.trigger().isQueue()).count();
        long workedTypes = prod.inputs().functions().stream().filter(f -> f.trigger().jobType() != null).count();
        // platform alarms, errors per function, throttles per queue function, backlog and age per type, API 5xx, broker memory and disk
        assertThat(alarms).hasSize((int) (prod.inputs().platform().path("alarms").size() + prod.inputs().functions().size()
                + queueFunctions + 2 * workedTypes + 1 + 2));
        String topic = view.ofType("AWS::SNS::Topic").size() == 1 ? "Alarms" : null;
        assertThat(topic).isNotNull();
        for (JsonNode a : alarms) {
            assertThat(a.path("Properties").path("AlarmActions").toString()).contains("MonitoringAlarms");
        }
    }

    @Test
    void queues_eachWorkedTypeHasABacklogAndAnAgeAlarm_theAgeOneCountsWaitingWithoutReceiptAsOver() {
        for (String type : List.of("webhook.deliver", "image.transform", "pdf.render", "example.hello")) {
            JsonNode backlog = alarmNamed("jobs-prod-queue-" + type + "-backlog");
            assertThat(backlog.path("MetricName").asText()).isEqualTo("QueueDepth");
            assertThat(backlog.path("Dimensions").toString()).contains("\"Type\"", "\"" + type + "\"", "\"Namespace\"");
            assertThat(backlog.path("Threshold").asDouble()).isEqualTo(1000.0);
            JsonNode age = alarmNamed("jobs-prod-queue-" + type + "-age");
            assertThat(age.path("Threshold").asDouble()).isEqualTo(900.0);
            assertThat(age.path("TreatMissingData").asText()).isEqualTo("notBreaching");
            List<String> parts = new ArrayList<>();
            for (JsonNode q : age.path("Metrics")) {
                parts.add(q.has("Expression") ? q.path("Expression").asText()
                        : q.path("Id").asText() + "=" + q.path("MetricStat").path("Metric").path("MetricName").asText());
            }
            assertThat(parts).containsExactlyInAnyOrder("IF(FILL(depth, 0) > 0, FILL(age, 901), 0)", "depth=QueueDepth", "age=QueueAgeSeconds");
        }
    }

    @Test
    void operations_throttlesOfEveryQueueWorker_api5xx_brokerMemoryAndDisk_andTheLedgersInFlight() {
        for (FunctionSpec f : prod.inputs().functions()) {
            boolean queue = f.trigger().isQueue();
            assertThat(view.ofType("AWS::CloudWatch::Alarm").stream().anyMatch(a -> a.path("Properties").path("AlarmName").asText()
                    .equals("jobs-prod-" + f.name() + "-throttles"))).as(f.name()).isEqualTo(queue);
        }
        assertThat(alarmNamed("jobs-prod-webhook-worker-throttles").path("MetricName").asText()).isEqualTo("Throttles");
        JsonNode api = alarmNamed("jobs-prod-api-5xx");
        assertThat(api.path("Namespace").asText()).isEqualTo("AWS/ApiGateway");
        assertThat(api.path("MetricName").asText()).isEqualTo("5xx");
        assertThat(api.path("Dimensions").get(0).path("Name").asText()).isEqualTo("ApiId");
        JsonNode memory = alarmNamed("jobs-prod-broker-memory");
        assertThat(memory.path("Metrics").toString()).contains("100 * used / limit", "RabbitMQMemUsed", "RabbitMQMemLimit", "AWS/AmazonMQ", "jobs-prod");
        JsonNode disk = alarmNamed("jobs-prod-broker-disk");
        assertThat(disk.path("Metrics").toString()).contains("free / limit", "RabbitMQDiskFree", "RabbitMQDiskFreeLimit");
        assertThat(disk.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
        assertThat(alarmNamed("jobs-prod-ledger-in-flight").path("MetricName").asText()).isEqualTo("LedgerInFlight");
    }

    @Test
    void s3_isReachedThroughAGatewayEndpointOnThePrivateRouteTables() {
        List<JsonNode> endpoints = view.ofType("AWS::EC2::VPCEndpoint");
        assertThat(endpoints).singleElement().satisfies(e -> {
            JsonNode p = e.path("Properties");
            assertThat(p.path("VpcEndpointType").asText()).isEqualTo("Gateway");
            assertThat(p.path("ServiceName").toString()).contains(".s3");
            assertThat(p.path("RouteTableIds")).hasSize(2);
            assertThat(p.path("RouteTableIds").toString()).contains("private").doesNotContain("public");
        });
    }

    @Test
    void apiStage_dependsOnEveryRoute_soCloudFormationNeverCreatesItsRouteSettingsFirst() {
        List<String> routeIds = new ArrayList<>();
        prod.json().path("Resources").properties().forEach(e -> {
            if ("AWS::ApiGatewayV2::Route".equals(e.getValue().path("Type").asText())) {
                routeIds.add(e.getKey());
            }
        });
        assertThat(routeIds).hasSize(19);
        JsonNode stage = prod.json().path("Resources").properties().stream()
                .filter(e -> "AWS::ApiGatewayV2::Stage".equals(e.getValue().path("Type").asText()))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        List<String> dependsOn = new ArrayList<>();
        TemplateView.list(stage.path("DependsOn")).forEach(d -> dependsOn.add(d.asText()));
        assertThat(dependsOn).containsAll(routeIds);
    }

    @Test
    void functions_runJava21_logJson_andReserveOneEnvironmentPerMappingWhereFunctionsJsonSaysSo() {
        for (FunctionSpec f : prod.inputs().functions()) {
            JsonNode p = view.functionNamed("jobs-prod-" + f.name()).path("Properties");
            assertThat(p.path("Runtime").asText()).as(f.name()).isEqualTo("java21");
            assertThat(p.path("LoggingConfig").path("LogFormat").asText()).as(f.name()).isEqualTo("JSON");
            assertThat(p.path("LoggingConfig").path("LogGroup").toString()).as(f.name()).contains("logs");
        }
        for (String worker : List.of("webhook-worker", "image-worker", "pdf-worker", "hello-worker")) {
            assertThat(view.functionNamed("jobs-prod-" + worker).path("Properties").path("ReservedConcurrentExecutions").asInt()).as(worker).isEqualTo(1);
        }
        for (String unreserved : List.of("submit", "store-api", "dlq-consumer", "topology-deployer")) {
            assertThat(view.functionNamed("jobs-prod-" + unreserved).path("Properties").has("ReservedConcurrentExecutions")).as(unreserved).isFalse();
        }
    }

    @Test
    void httpFunctions_haveSnapStart_andTheApiInvokesTheirLiveAliasesOnThePublishedVersions() {
        for (String fn : List.of("submit", "store-api")) {
            JsonNode p = view.functionNamed("jobs-prod-" + fn).path("Properties");
            assertThat(p.path("SnapStart").path("ApplyOn").asText()).as(fn).isEqualTo("PublishedVersions");
        }
        assertThat(view.functionNamed("jobs-prod-webhook-worker").path("Properties").has("SnapStart")).isFalse();
        List<String> aliasIds = prod.json().path("Resources").properties().stream()
                .filter(e -> "AWS::Lambda::Alias".equals(e.getValue().path("Type").asText())).map(Map.Entry::getKey).toList();
        assertThat(aliasIds).hasSize(2);
        for (String aliasId : aliasIds) {
            JsonNode alias = prod.json().path("Resources").path(aliasId).path("Properties");
            assertThat(alias.path("Name").asText()).isEqualTo("live");
            assertThat(alias.path("FunctionVersion").toString()).contains("Fn::GetAtt").contains("Version");
            assertThat(view.ofType("AWS::ApiGatewayV2::Integration")).as(aliasId)
                    .anySatisfy(i -> assertThat(i.path("Properties").path("IntegrationUri").toString()).contains(aliasId));
            assertThat(view.ofType("AWS::Lambda::Permission").stream().map(JsonNode::toString)
                    .anyMatch(p -> p.contains("apigateway.amazonaws.com") && p.contains(aliasId))).as(aliasId).isTrue();
        }
    }

    @Test
    void theStoreRoutes_goToTheStoreApiFunction_everyOtherRouteToSubmit() {
        Map<String, String> byRoute = routeFunctions();
        assertThat(byRoute).hasSize(19);
        byRoute.forEach((route, fn) -> {
            boolean store = route.contains(" /v1/blobs/") || route.contains(" /v1/dlq");
            assertThat(fn).as(route).isEqualTo(store ? "jobs-prod-store-api:live" : "jobs-prod-submit:live");
        });
        assertThat(byRoute.values().stream().filter(f -> f.contains("store-api")).count()).isEqualTo(7);
    }

    /** Route key to the function (with :live for an alias) its integration invokes. */
    private Map<String, String> routeFunctions() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (JsonNode r : view.ofType("AWS::ApiGatewayV2::Route")) {
            JsonNode target = r.path("Properties").path("Target").path("Fn::Join").get(1);
            JsonNode integration = view.byRef(target.get(1));
            JsonNode uri = integration.path("Properties").path("IntegrationUri");
            out.put(r.path("Properties").path("RouteKey").asText(), view.functionNameOf(uri));
        }
        return out;
    }

    @Test
    void prodBroker_isRetained_andTheTopologyIsDeclaredAgainWhenTheBrokerIsReplaced() {
        JsonNode broker = prod.json().path("Resources").properties().stream()
                .filter(e -> "AWS::AmazonMQ::Broker".equals(e.getValue().path("Type").asText())).map(Map.Entry::getValue).findFirst().orElseThrow();
        assertThat(broker.path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(broker.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
        JsonNode bucket = view.ofType("AWS::S3::Bucket").get(0);
        assertThat(bucket.path("DeletionPolicy").asText()).isEqualTo("Retain");
        JsonNode cr = view.ofType("Custom::RabbitMqTopology").get(0).path("Properties");
        assertThat(cr.path("BrokerId").path("Ref").asText()).startsWith("Broker");
        assertThat(prod.stack().getTerminationProtection()).as("prod stack termination protection").isTrue();
    }

    @Test
    void dashboard_hasADlqPanel() {
        JsonNode body = view.ofType("AWS::CloudWatch::Dashboard").get(0).path("Properties").path("DashboardBody");
        assertThat(body.toString()).contains("DLQ: dead letters").contains("DlqOldestAgeSeconds").contains("DlqDepth");
    }

    @Test
    void iam_noStatementOnEveryResource_exceptActionsAwsOffersNoResourceLevelPermissionFor() {
        List<String> offending = new ArrayList<>();
        List<JsonNode> docs = new ArrayList<>();
        view.ofType("AWS::IAM::Policy").forEach(p -> docs.add(p.path("Properties").path("PolicyDocument")));
        view.ofType("AWS::IAM::Role").forEach(r -> r.path("Properties").path("Policies").forEach(p -> docs.add(p.path("PolicyDocument"))));
        assertThat(docs).isNotEmpty();
        for (JsonNode doc : docs) {
            for (JsonNode st : doc.path("Statement")) {
                boolean star = TemplateView.list(st.path("Resource")).stream().anyMatch(r -> "*".equals(r.asText()));
                if (!star) {
                    continue;
                }
                for (JsonNode action : TemplateView.list(st.path("Action"))) {
                    if (!FunctionRole.WILDCARD_ACTIONS.containsKey(action.asText())) {
                        offending.add(action.asText());
                    }
                    if ("cloudwatch:PutMetricData".equals(action.asText())) {
                        assertThat(st.path("Condition").toString()).contains("cloudwatch:namespace");
                    }
                }
            }
        }
        assertThat(offending).as("actions on Resource * that are not documented exceptions").isEmpty();
        // Our function roles carry no AWS managed policy (those grant logs:* on *).
        for (JsonNode role : view.ofType("AWS::IAM::Role")) {
            if (role.path("Properties").path("Description").asText().startsWith("Lambda jobs-prod-")) {
                assertThat(role.path("Properties").has("ManagedPolicyArns")).isFalse();
            }
        }
    }

    @Test
    void cache_isValkeyServerless_reachableOnlyFromTheFunctions() {
        template.hasResourceProperties("AWS::ElastiCache::ServerlessCache", Match.objectLike(Map.of("Engine", "valkey")));
        JsonNode cacheSg = view.ofType("AWS::EC2::SecurityGroup").stream()
                .filter(s -> s.path("Properties").path("GroupDescription").asText().startsWith("ElastiCache")).findFirst().orElseThrow();
        assertThat(cacheSg.path("Properties").path("SecurityGroupIngress").isMissingNode()).isTrue();
        List<JsonNode> ingress = view.ofType("AWS::EC2::SecurityGroupIngress").stream()
                .filter(i -> i.path("Properties").path("GroupId").toString().contains("CacheSg")).toList();
        assertThat(ingress).isNotEmpty().allSatisfy(i ->
                assertThat(i.path("Properties").path("SourceSecurityGroupId").toString()).contains("FunctionsSg"));
        template.hasResourceProperties("AWS::ElastiCache::User", Match.objectLike(Map.of("UserName", "default", "AccessString", "off -@all")));
        template.hasResourceProperties("AWS::ElastiCache::User", Match.objectLike(Map.of("UserName", "jobs-app",
                "AccessString", "on ~jobs:* &* +@all", "AuthenticationMode", Match.objectLike(Map.of("Type", "password")))));
    }

    @Test
    void bucket_isEncryptedPrivateVersioned_withLifecycle_andEnforcesSsl() {
        template.hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "VersioningConfiguration", Map.of("Status", "Enabled"))));
        JsonNode bucket = view.ofType("AWS::S3::Bucket").get(0).path("Properties");
        assertThat(bucket.path("BucketEncryption").toString()).contains("AES256");
        assertThat(bucket.path("LifecycleConfiguration").path("Rules")).hasSize(3);
        assertThat(view.ofType("AWS::S3::BucketPolicy").get(0).toString()).contains("aws:SecureTransport");
    }

    @Test
    void api_hasEveryProductRoute_throttledPerRoute() {
        List<String> routes = view.ofType("AWS::ApiGatewayV2::Route").stream()
                .map(r -> r.path("Properties").path("RouteKey").asText()).toList();
        assertThat(routes).containsExactlyInAnyOrder("POST /v1/jobs", "POST /v1/jobs/batch", "GET /v1/jobs", "GET /v1/jobs/{jobId}", "POST /v1/jobs/{jobId}/cancel",
                "PUT /v1/blobs/{key+}", "GET /v1/blobs/{key+}", "GET /v1/dlq",
                "GET /v1/dlq/{jobId}", "POST /v1/dlq/{jobId}/replay", "POST /v1/dlq/replay", "DELETE /v1/dlq/{jobId}", "GET /v1/stats",
                "POST /v1/schedules", "GET /v1/schedules", "GET /v1/schedules/{scheduleId}", "DELETE /v1/schedules/{scheduleId}",
                "POST /v1/schedules/{scheduleId}/pause", "POST /v1/schedules/{scheduleId}/resume");
        JsonNode stage = view.ofType("AWS::ApiGatewayV2::Stage").get(0).path("Properties");
        assertThat(stage.path("RouteSettings").size()).isEqualTo(routes.size());
        // One integration per http function: submit and store-api.
        template.resourceCountIs("AWS::ApiGatewayV2::Integration", 2);
        assertThat(stage.path("RouteSettings").path("POST /v1/dlq/replay").path("ThrottlingRateLimit").asDouble()).isEqualTo(1.0);
        // A batch carries up to 500 jobs: its stage throttle counts requests, the tenant's rate counts jobs.
        assertThat(stage.path("RouteSettings").path("POST /v1/jobs/batch").path("ThrottlingRateLimit").asDouble()).isEqualTo(20.0);
        assertThat(stage.path("DefaultRouteSettings").path("ThrottlingBurstLimit").asInt()).isPositive();
    }

    @Test
    void topology_isDeclaredAtDeployTime_fromTopologyJson() {
        JsonNode cr = view.ofType("Custom::RabbitMqTopology").get(0).path("Properties");
        String topology = cr.path("Topology").asText();
        for (JsonNode q : prod.inputs().topology().raw().path("queues")) {
            assertThat(topology).contains("\"" + q.path("name").asText() + "\"");
        }
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of(
                "FunctionName", "jobs-prod-topology-deployer",
                "Handler", "io.durablejobs.functions.topology.TopologyDeployerHandler::handleRequest")));
    }

    @Test
    void blobStore_s3_forTheStoreApiAndTheWorkersThatWriteOutputs_onTheBlobsPrefixOnly() {
        for (String fn : List.of("store-api", "image-worker", "pdf-worker")) {
            JsonNode env = envOf(fn);
            assertThat(env.path("JOBS_BLOB_STORE").asText()).as(fn).isEqualTo("s3");
            assertThat(env.path("JOBS_BLOB_PREFIX").asText()).as(fn).isEqualTo("blobs/");
            assertThat(env.path("JOBS_BLOB_BUCKET").toString()).as(fn).contains("StorageBucket");
            assertThat(statementsOf(fn)).as(fn).anySatisfy(st -> {
                assertThat(TemplateView.list(st.path("Action")).stream().map(JsonNode::asText).toList()).contains("s3:ListBucket");
                assertThat(st.path("Condition").path("StringLike").path("s3:prefix").toString()).contains("\"blobs/*\"");
            });
        }
        // The store API uploads inputs (PUT /v1/blobs/...) and presigns reads; it deletes no blob.
        assertThat(objectGrants("store-api")).containsExactlyInAnyOrder("s3:GetObject@blobs/*", "s3:PutObject@blobs/*", "s3:GetObject@dead-letters/*",
                "s3:PutObject@dead-letters/*", "s3:DeleteObject@dead-letters/*");
        for (String fn : List.of("image-worker", "pdf-worker")) {
            assertThat(objectGrants(fn)).as(fn).containsExactlyInAnyOrder("s3:GetObject@blobs/*", "s3:PutObject@blobs/*");
        }
        // The submit function serves no store route: no bucket, no grant, no S3 client in its jar.
        for (String fn : List.of("submit", "webhook-worker", "hello-worker", "dlq-consumer", "topology-deployer")) {
            assertThat(envOf(fn).has("JOBS_BLOB_BUCKET")).as(fn).isFalse();
            assertThat(objectGrants(fn)).as(fn).noneMatch(g -> g.endsWith("@blobs/*"));
        }
    }

    @Test
    void deadLetterStore_s3_forTheStoreApiAndTheDlqConsumer_onTheDeadLettersPrefixOnly() {
        for (String fn : List.of("store-api", "dlq-consumer")) {
            JsonNode env = envOf(fn);
            assertThat(env.path("JOBS_DEAD_LETTER_STORE").asText()).as(fn).isEqualTo("s3");
            assertThat(env.path("JOBS_DEAD_LETTER_PREFIX").asText()).as(fn).isEqualTo("dead-letters/");
            assertThat(env.path("JOBS_DEAD_LETTER_BUCKET").toString()).as(fn).contains("StorageBucket");
            assertThat(objectGrants(fn)).as(fn).contains("s3:GetObject@dead-letters/*", "s3:PutObject@dead-letters/*", "s3:DeleteObject@dead-letters/*");
            assertThat(statementsOf(fn)).as(fn).anySatisfy(st ->
                    assertThat(st.path("Condition").path("StringLike").path("s3:prefix").toString()).contains("\"dead-letters/*\""));
        }
        for (String fn : List.of("submit", "webhook-worker", "image-worker", "pdf-worker", "hello-worker", "topology-deployer")) {
            assertThat(envOf(fn).has("JOBS_DEAD_LETTER_BUCKET")).as(fn).isFalse();
            assertThat(objectGrants(fn)).as(fn).noneMatch(g -> g.endsWith("@dead-letters/*"));
        }
        // Every ListBucket grant is limited to one of the two prefixes.
        for (FunctionSpec f : prod.inputs().functions()) {
            for (JsonNode st : statementsOf(f.name())) {
                if (st.path("Action").toString().contains("s3:ListBucket")) {
                    assertThat(st.path("Condition").path("StringLike").path("s3:prefix").toString()).as(f.name())
                            .matches(".*\"(blobs|dead-letters)/\\*\".*");
                }
            }
        }
    }

    @Test
    void metrics_onlyTheDlqConsumerPushes_everyFunctionWritesEmf() {
        for (FunctionSpec f : prod.inputs().functions()) {
            JsonNode env = envOf(f.name());
            boolean dlq = f.name().equals("dlq-consumer");
            assertThat(env.path("JOBS_METRICS_PUSH").asText()).as(f.name()).isEqualTo(dlq ? "cloudwatch" : "off");
            assertThat(env.path("JOBS_METRICS_EMF").asText()).as(f.name()).isEqualTo("stdout");
            assertThat(env.path("JOBS_METRICS_NAMESPACE").asText()).as(f.name()).isEqualTo("DurableJobs");
            assertThat(statementsOf(f.name()).toString().contains("cloudwatch:PutMetricData")).as(f.name()).isEqualTo(dlq);
        }
        assertThat(envOf("dlq-consumer").path("JOBS_QUEUE_DEPTH_TYPES").asText()).isEqualTo("example.hello,image.transform,pdf.render,webhook.deliver");
        assertThat(envOf("submit").has("JOBS_QUEUE_DEPTH_TYPES")).isFalse();
        assertThat(statementsOf("dlq-consumer")).anySatisfy(st -> assertThat(st.path("Condition").toString())
                .isEqualTo("{\"StringEquals\":{\"cloudwatch:namespace\":\"DurableJobs\"}}"));
    }

    @Test
    void secrets_eachSecretArnSetting_hasGetSecretValueOnExactlyThatSecret() {
        for (Map.Entry<String, JsonNode> fn : functionsByName().entrySet()) {
            List<String> named = new ArrayList<>();
            fn.getValue().path("Properties").path("Environment").path("Variables").properties().forEach(e -> {
                if (e.getKey().endsWith("_SECRET_ARN")) {
                    named.add(e.getValue().toString());
                }
            });
            List<String> granted = new ArrayList<>();
            for (JsonNode st : statementsOf(fn.getKey())) {
                if (st.path("Action").toString().contains("secretsmanager:GetSecretValue")) {
                    TemplateView.list(st.path("Resource")).forEach(r -> granted.add(r.toString()));
                }
            }
            assertThat(granted).as(fn.getKey()).isNotEmpty().containsExactlyInAnyOrderElementsOf(named);
        }
        assertThat(envOf("submit").path("JOBS_API_KEYS_SECRET_ARN").toString()).contains("SecretsApiKeys");
        assertThat(envOf("store-api").path("JOBS_API_KEYS_SECRET_ARN").toString()).contains("SecretsApiKeys");
        assertThat(envOf("webhook-worker").path("JOBS_WEBHOOK_SIGNING_SECRET_ARN").toString()).contains("SecretsWebhookSigning");
        assertThat(envOf("topology-deployer").path("JOBS_RABBITMQ_SECRET_ARN").toString()).contains("BrokerAdminSecret");
    }

    @Test
    void nothingSharded_noFunctionGetsJobsShards() {
        assertThat(prod.inputs().queuePlan().jobsShards()).isEmpty();
        for (FunctionSpec f : prod.inputs().functions()) {
            assertThat(envOf(f.name()).has("JOBS_SHARDS")).as(f.name()).isFalse();
        }
        assertThat(envOf("topology-deployer").has("JOBS_SHARDS")).isFalse();
    }

    @Test
    void topologyDeployer_isItsRealArtifact_withTheBrokerSettingsAndSecretOnly() {
        FunctionSpec deployer = prod.inputs().deployFunctions().get(0);
        assertThat(deployer.jarPath()).isEqualTo("functions/topology-deployer/target/topology-deployer-function-0.1.0-SNAPSHOT-lambda.jar");
        assertThat(Synth.REPO_ROOT.resolve(deployer.module()).resolve("pom.xml")).content().contains("<artifactId>topology-deployer-function</artifactId>");
        assertThat(Synth.REPO_ROOT.resolve(deployer.module()).resolve("src/main/java/io/durablejobs/functions/topology/TopologyDeployerHandler.java")).exists();
        assertThat(prod.inputs().platform().path("deployFunctions").get(0).has("pending")).isFalse();
        List<String> keys = new ArrayList<>();
        envOf("topology-deployer").fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("JOBS_NAMESPACE", "JOBS_RABBITMQ_URI", "JOBS_RABBITMQ_SECRET_ARN", "JAVA_TOOL_OPTIONS");
        assertThat(statementsOf("topology-deployer").toString()).doesNotContain("s3:", "CacheAppUserSecret", "cloudwatch:");
    }

    @Test
    void scheduler_isInvokedEveryMinuteByItsOwnRule_withEventBridgesScheduledEvent() {
        JsonNode rule = view.ofType("AWS::Events::Rule").stream()
                .filter(r -> r.path("Properties").path("Name").asText().equals("jobs-prod-scheduler")).findFirst().orElseThrow()
                .path("Properties");
        assertThat(rule.path("ScheduleExpression").asText()).isEqualTo("rate(1 minute)");
        JsonNode target = rule.path("Targets").get(0);
        assertThat(target.has("Input")).as("no Input: the function gets the scheduled event itself").isFalse();
        String fnId = target.path("Arn").path("Fn::GetAtt").get(0).asText();
        assertThat(prod.json().path("Resources").path(fnId).path("Properties").path("FunctionName").asText()).isEqualTo("jobs-prod-scheduler");
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Action", "lambda:InvokeFunction", "Principal", "events.amazonaws.com",
                "FunctionName", Map.of("Fn::GetAtt", List.of(fnId, "Arn")))));
    }

    @Test
    void dlqConsumer_isInvokedEveryMinuteWithAnEmptyEvent_soItsAlarmsHaveData() {
        List<JsonNode> rules = view.ofType("AWS::Events::Rule").stream()
                .filter(r -> r.path("Properties").path("Name").asText().endsWith("-metrics")).toList();
        assertThat(rules).hasSize(1);
        JsonNode rule = rules.get(0).path("Properties");
        assertThat(rule.path("Name").asText()).isEqualTo("jobs-prod-dlq-consumer-metrics");
        assertThat(rule.path("ScheduleExpression").asText()).isEqualTo("rate(1 minute)");
        assertThat(rule.path("State").asText("ENABLED")).isEqualTo("ENABLED");
        JsonNode target = rule.path("Targets").get(0);
        assertThat(target.path("Input").asText()).isEqualTo("{}");
        String fnId = target.path("Arn").path("Fn::GetAtt").get(0).asText();
        assertThat(prod.json().path("Resources").path(fnId).path("Properties").path("FunctionName").asText()).isEqualTo("jobs-prod-dlq-consumer");
        template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Action", "lambda:InvokeFunction", "Principal", "events.amazonaws.com",
                "FunctionName", Map.of("Fn::GetAtt", List.of(fnId, "Arn")))));
        // Alarms on what it pushes: periods are whole minutes, and a stopped push is an alarm of its own.
        for (String id : List.of("dead-letters", "dlq-oldest-age", "ledger-mismatch", "dlq-metrics-missing")) {
            JsonNode a = alarmNamed("jobs-prod-" + id);
            assertThat(a.path("Period").asInt() % 60).as(id).isZero();
            assertThat(a.path("Period").asInt()).as(id).isPositive();
        }
        JsonNode missing = alarmNamed("jobs-prod-dlq-metrics-missing");
        assertThat(missing.path("MetricName").asText()).isEqualTo("DlqDepth");
        assertThat(missing.path("Statistic").asText()).isEqualTo("SampleCount");
        assertThat(missing.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
        assertThat(missing.path("TreatMissingData").asText()).isEqualTo("breaching");
        assertThat(alarmNamed("jobs-prod-dlq-oldest-age").path("TreatMissingData").asText()).isEqualTo("notBreaching");
    }

    private static JsonNode alarmNamed(String name) {
        return view.ofType("AWS::CloudWatch::Alarm").stream().map(a -> a.path("Properties"))
                .filter(p -> name.equals(p.path("AlarmName").asText())).findFirst().orElseThrow(() -> new AssertionError("no alarm " + name));
    }

    private static Map<String, JsonNode> functionsByName() {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        for (JsonNode f : view.ofType("AWS::Lambda::Function")) {
            String name = f.path("Properties").path("FunctionName").asText();
            if (name.startsWith("jobs-prod-")) {
                out.put(name.substring("jobs-prod-".length()), f);
            }
        }
        return out;
    }

    private static JsonNode envOf(String fn) {
        return view.functionNamed("jobs-prod-" + fn).path("Properties").path("Environment").path("Variables");
    }

    /** The statements of the policies attached to a function's role. */
    private static List<JsonNode> statementsOf(String fn) {
        String roleId = view.functionNamed("jobs-prod-" + fn).path("Properties").path("Role").path("Fn::GetAtt").get(0).asText();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : view.ofType("AWS::IAM::Policy")) {
            if (p.path("Properties").path("Roles").toString().contains("\"" + roleId + "\"")) {
                p.path("Properties").path("PolicyDocument").path("Statement").forEach(out::add);
            }
        }
        return out;
    }

    /** "action@prefix*" for every object-level S3 grant (Resource = Join of the bucket ARN and "/prefix*"). */
    private static List<String> objectGrants(String fn) {
        List<String> out = new ArrayList<>();
        for (JsonNode st : statementsOf(fn)) {
            for (JsonNode r : TemplateView.list(st.path("Resource"))) {
                JsonNode join = r.path("Fn::Join");
                if (join.isMissingNode()) {
                    continue;
                }
                String tail = join.get(1).get(join.get(1).size() - 1).asText();
                if (!tail.startsWith("/")) {
                    continue;
                }
                for (JsonNode a : TemplateView.list(st.path("Action"))) {
                    if (a.asText().startsWith("s3:")) {
                        out.add(a.asText() + "@" + tail.substring(1));
                    }
                }
            }
        }
        return out;
    }

    private static String secretLogicalId(String prefix) {
        return prod.json().path("Resources").properties().stream()
                .filter(e -> e.getKey().startsWith(prefix) && "AWS::SecretsManager::Secret".equals(e.getValue().path("Type").asText()))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    private static FunctionSpec specNamed(String functionName) {
        return prod.inputs().functions().stream().filter(f -> functionName.equals("jobs-prod-" + f.name())).findFirst().orElseThrow();
    }
}
