package io.durablejobs.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durablejobs.functiontable.FunctionRow;
import io.durablejobs.infra.model.FunctionSpec;
import io.durablejobs.infra.model.FunctionTable;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A field neither a functions.json row nor its defaults block sets gets one value everywhere: the CDK app and
 * the local host read rows through {@link FunctionRow}, and Terraform's {@code try(..)} fallbacks must match.
 */
class FunctionDefaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void omittedSizing_getsTheSharedDefaults() throws Exception {
        JsonNode root = JSON.readTree("{\"functions\":[{\"name\":\"w\",\"module\":\"m\",\"artifact\":\"a\","
                + "\"handler\":\"a.B::h\",\"trigger\":{\"kind\":\"queue\",\"jobType\":\"t\"}}]}");
        FunctionSpec f = FunctionTable.parse(root).get(0);

        assertThat(f.timeoutSeconds()).isEqualTo(FunctionRow.DEFAULT_TIMEOUT_SECONDS).isEqualTo(60);
        assertThat(f.memoryMb()).isEqualTo(FunctionRow.DEFAULT_MEMORY_MB);
        assertThat(f.batchSize()).isEqualTo(FunctionRow.DEFAULT_BATCH_SIZE);
        assertThat(f.batchWindowMs()).isEqualTo(FunctionRow.DEFAULT_BATCH_WINDOW_MS);
        assertThat(f.shards()).isEqualTo(FunctionRow.DEFAULT_SHARDS);
        assertThat(f.runtime()).isEqualTo(FunctionRow.DEFAULT_RUNTIME);
        assertThat(f.snapStart()).isEqualTo(FunctionRow.DEFAULT_SNAP_START);
        assertThat(f.concurrency()).isNull();
    }

    @Test
    void terraformFallbacks_matchTheSharedDefaults() throws Exception {
        String locals = Files.readString(Synth.REPO_ROOT.resolve("terraform/locals.tf"));
        Matcher m = Pattern.compile("try\\(f\\.(\\w+), local\\.defaults\\.\\1, ([^)]+)\\)").matcher(locals);
        Map<String, String> fallback = new HashMap<>();
        while (m.find()) {
            fallback.put(m.group(1), m.group(2).trim());
        }

        assertThat(fallback).containsEntry("runtime", "\"" + FunctionRow.DEFAULT_RUNTIME + "\"")
                .containsEntry("memoryMb", String.valueOf(FunctionRow.DEFAULT_MEMORY_MB))
                .containsEntry("timeoutSeconds", String.valueOf(FunctionRow.DEFAULT_TIMEOUT_SECONDS))
                .containsEntry("batchSize", String.valueOf(FunctionRow.DEFAULT_BATCH_SIZE))
                .containsEntry("batchWindowMs", String.valueOf(FunctionRow.DEFAULT_BATCH_WINDOW_MS))
                .containsEntry("shards", String.valueOf(FunctionRow.DEFAULT_SHARDS))
                .containsEntry("concurrency", "null")
                .containsEntry("snapStart", String.valueOf(FunctionRow.DEFAULT_SNAP_START));
    }
}
