package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.functiontable.FunctionRow;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class FunctionTableTest {

    @Test
    void packedTable_isTheRepositoryFunctionsJson_withDefaultsApplied() {
        FunctionTable t = FunctionTable.load(null);

        assertThat(t.names()).contains("submit", "webhook-worker");
        FunctionSpec worker = t.functions().stream().filter(f -> f.name().equals("webhook-worker")).findFirst().orElseThrow();
        assertThat(worker.trigger()).isEqualTo(new Trigger.WorkQueue("webhook.deliver"));
        assertThat(worker.batchSize()).isEqualTo(500);
        assertThat(worker.batchWindowMs()).isEqualTo(500);
        assertThat(worker.concurrency()).isEqualTo(1);
        assertThat(worker.handlerMethod()).isEqualTo("handleRequest");
        FunctionSpec submit = t.functions().stream().filter(f -> f.name().equals("submit")).findFirst().orElseThrow();
        assertThat(submit.isHttp()).isTrue();
        assertThat(submit.memoryMb()).isEqualTo(1024);
    }

    @Test
    void nullConcurrency_nothingReservedOnLambda_isOnePollerHere() throws Exception {
        String json = "{\"defaults\":{\"concurrency\":null},\"functions\":[{\"name\":\"w\",\"handler\":\"a.B::h\","
                + "\"trigger\":{\"kind\":\"queue\",\"jobType\":\"t\"},\"concurrency\":null}]}";
        FunctionTable t = FunctionTable.parse(new java.io.ByteArrayInputStream(json.getBytes()));
        assertThat(t.functions().get(0).concurrency()).isEqualTo(1);
    }

    @Test
    void sizingLeftOutOfRowAndDefaults_isWhatLambdaIsDeployedWith() throws Exception {
        String json = "{\"functions\":[{\"name\":\"w\",\"handler\":\"a.B::h\",\"trigger\":{\"kind\":\"queue\",\"jobType\":\"t\"}}]}";
        FunctionSpec f = FunctionTable.parse(new ByteArrayInputStream(json.getBytes())).functions().get(0);

        // the CDK app reads rows through the same FunctionRow; infra/cdk's FunctionDefaultsTest holds it and Terraform to these
        assertThat(f.timeoutSeconds()).isEqualTo(FunctionRow.DEFAULT_TIMEOUT_SECONDS).isEqualTo(60);
        assertThat(f.memoryMb()).isEqualTo(FunctionRow.DEFAULT_MEMORY_MB);
        assertThat(f.batchSize()).isEqualTo(FunctionRow.DEFAULT_BATCH_SIZE);
        assertThat(f.batchWindowMs()).isEqualTo(FunctionRow.DEFAULT_BATCH_WINDOW_MS);
        assertThat(f.trigger()).isEqualTo(new Trigger.WorkQueue("t", FunctionRow.DEFAULT_SHARDS));
    }

    @Test
    void select_runsASubset_andNamesUnknownOnes() {
        FunctionTable t = TestTables.functions();

        assertThat(t.select(List.of("recorder")).names()).containsExactly("recorder");
        assertThat(t.select(List.of()).names()).hasSize(t.functions().size());
        assertThatThrownBy(() -> t.select(List.of("nope"))).hasMessageContaining("nope").hasMessageContaining("recorder");
    }

    @Test
    void triggers_parseHttpWorkAndDead() throws Exception {
        String json = "{\"functions\":[{\"name\":\"d\",\"handler\":\"a.B::h\",\"trigger\":{\"kind\":\"queue\",\"role\":\"dead\"}}]}";
        FunctionTable t = FunctionTable.parse(new java.io.ByteArrayInputStream(json.getBytes()));
        assertThat(t.functions().get(0).trigger()).isInstanceOf(Trigger.DeadQueue.class);
        assertThat(t.functions().get(0).handlerMethod()).isEqualTo("h");
    }

    @Test
    void packedTable_sendsTheStoreRoutesToTheStoreApi_andEveryOtherRouteToSubmit() {
        FunctionTable t = FunctionTable.load(null);
        ApiRoutes<String> routes = ApiRoutes.of(t.functions(), FunctionSpec::name);

        assertThat(routes.target("PUT", "/v1/blobs/jobs/a/b.png")).contains("store-api");
        assertThat(routes.target("GET", "/v1/blobs/x")).contains("store-api");
        assertThat(routes.target("GET", "/v1/dlq")).contains("store-api");
        assertThat(routes.target("POST", "/v1/dlq/replay")).contains("store-api");
        assertThat(routes.target("POST", "/v1/dlq/0193a1b2/replay")).contains("store-api");
        assertThat(routes.target("DELETE", "/v1/dlq/0193a1b2")).contains("store-api");
        assertThat(routes.target("PATCH", "/v1/dlq/0193a1b2")).as("the path's owner answers its 405").contains("store-api");
        assertThat(routes.target("POST", "/v1/jobs")).contains("submit");
        assertThat(routes.target("GET", "/v1/jobs/0193a1b2")).contains("submit");
        assertThat(routes.target("GET", "/v1/blobs")).as("no key: not the blob route").contains("submit");
        assertThat(routes.target("GET", "/v1/nothing")).contains("submit");
    }

    @Test
    void selectingOneHttpFunction_runsTheWholeApi() {
        FunctionTable t = FunctionTable.load(null);

        assertThat(t.select(List.of("submit", "webhook-worker")).names()).containsExactlyInAnyOrder("submit", "store-api", "webhook-worker");
        assertThat(t.select(List.of("webhook-worker")).names()).containsExactly("webhook-worker");
    }

    @Test
    void httpFunctions_needOneOwnerPerRoute_andAtMostOneCatchAll() {
        String two = "{\"functions\":[{\"name\":\"a\",\"handler\":\"a.B::h\",\"trigger\":{\"kind\":\"http\"}},"
                + "{\"name\":\"b\",\"handler\":\"a.B::h\",\"trigger\":{\"kind\":\"http\"}}]}";
        assertThatThrownBy(() -> FunctionTable.parse(new ByteArrayInputStream(two.getBytes()))).hasMessageContaining("[a, b]");
        String twice = "{\"functions\":[{\"name\":\"a\",\"handler\":\"a.B::h\",\"trigger\":{\"kind\":\"http\",\"routes\":[\"GET /x\"]}},"
                + "{\"name\":\"b\",\"handler\":\"a.B::h\",\"trigger\":{\"kind\":\"http\",\"routes\":[\"GET /x\"]}}]}";
        assertThatThrownBy(() -> FunctionTable.parse(new ByteArrayInputStream(twice.getBytes()))).hasMessageContaining("GET /x");
        String bad = "{\"functions\":[{\"name\":\"a\",\"handler\":\"a.B::h\",\"trigger\":{\"kind\":\"http\",\"routes\":[\"/x\"]}}]}";
        assertThatThrownBy(() -> FunctionTable.parse(new ByteArrayInputStream(bad.getBytes()))).hasMessageContaining("METHOD /path");
    }

    @Test
    void withoutACatchAll_anUnlistedRouteHasNoFunction() throws Exception {
        String json = "{\"functions\":[{\"name\":\"a\",\"handler\":\"a.B::h\",\"trigger\":{\"kind\":\"http\",\"routes\":[\"GET /v1/blobs/{key+}\"]}}]}";
        ApiRoutes<String> routes = ApiRoutes.of(FunctionTable.parse(new ByteArrayInputStream(json.getBytes())).functions(), FunctionSpec::name);
        assertThat(routes.target("GET", "/v1/blobs/a/b")).contains("a");
        assertThat(routes.target("GET", "/v1/jobs")).isEmpty();
    }
}
