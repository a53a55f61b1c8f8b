package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HostSettingsTest {
    private static final FunctionSpec API = TestTables.spec("api");
    private static final FunctionSpec WORKER = TestTables.spec("recorder");

    @Test
    void byDefault_queueFunctionsRunInTheirOwnJvm_andTheHttpFunctionInThreads() {
        HostSettings.Isolation isolation = HostSettings.from(Map.of()).isolation();
        assertThat(isolation.ownProcess(WORKER)).isTrue();
        assertThat(isolation.ownProcess(API)).isFalse();
    }

    @Test
    void isolationCanBeThreadsForAll_processForAll_orProcessForTheNamedFunctions() {
        assertThat(HostSettings.Isolation.parse("thread").ownProcess(WORKER)).isFalse();
        assertThat(HostSettings.Isolation.parse("process").ownProcess(API)).isTrue();
        HostSettings.Isolation named = HostSettings.Isolation.parse("process:api");
        assertThat(named.ownProcess(API)).isTrue();
        assertThat(named.ownProcess(WORKER)).isFalse();
    }
}
