package io.durablejobs.functiontable;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionRowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FunctionRow only(String json) throws Exception {
        List<FunctionRow> rows = FunctionRow.parse(JSON.readTree(json));
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void rowWins_thenDefaultsBlock_thenTheDeployedFallback() throws Exception {
        FunctionRow r = only("{\"defaults\":{\"memoryMb\":768,\"timeoutSeconds\":30},"
                + "\"functions\":[{\"name\":\"w\",\"handler\":\"a.B::h\",\"memoryMb\":1024,\"trigger\":{\"kind\":\"http\"}}]}");

        assertThat(r.memoryMb()).isEqualTo(1024);
        assertThat(r.timeoutSeconds()).isEqualTo(30);
        assertThat(r.batchSize()).isEqualTo(FunctionRow.DEFAULT_BATCH_SIZE);
        assertThat(r.runtime()).isEqualTo("java21");
        assertThat(r.module()).isNull();
    }

    @Test
    void nullSizing_meansNotSetHere_butNullConcurrencyMeansNothingReserved() throws Exception {
        FunctionRow r = only("{\"defaults\":{\"concurrency\":4,\"timeoutSeconds\":30},\"functions\":[{\"name\":\"w\","
                + "\"timeoutSeconds\":null,\"concurrency\":null,\"trigger\":{\"kind\":\"queue\",\"jobType\":\"t\"},"
                + "\"environment\":{\"A\":\"1\"}}]}");

        assertThat(r.timeoutSeconds()).isEqualTo(30);
        assertThat(r.concurrency()).isNull();
        assertThat(r.trigger().jobType()).isEqualTo("t");
        assertThat(r.trigger().routes()).isEmpty();
        assertThat(r.environment()).isEqualTo(Map.of("A", "1"));
    }

    @Test
    void concurrencyFromTheDefaultsBlock_whenTheRowLeavesItOut() throws Exception {
        FunctionRow r = only("{\"defaults\":{\"concurrency\":4},\"functions\":[{\"name\":\"w\",\"trigger\":{\"kind\":\"http\"}}]}");
        assertThat(r.concurrency()).isEqualTo(4);
    }
}
