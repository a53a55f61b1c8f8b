package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.config.ConfigException;
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

    @Test
    void the_api_listens_on_loopback_unless_told_otherwise() {
        assertThat(HostSettings.from(Map.of()).httpBind().isLoopbackAddress()).isTrue();
    }

    @Test
    void JOBS_HTTP_BIND_picks_the_listening_address() {
        assertThat(HostSettings.from(Map.of("JOBS_HTTP_BIND", "0.0.0.0")).httpBind().isAnyLocalAddress()).isTrue();
        assertThat(HostSettings.from(Map.of("JOBS_HTTP_BIND", "::")).httpBind().isAnyLocalAddress()).isTrue();
        assertThat(HostSettings.from(Map.of("JOBS_HTTP_BIND", "192.0.2.10")).httpBind().getHostAddress()).isEqualTo("192.0.2.10");
    }

    @Test
    void a_host_name_or_garbage_is_refused_naming_the_setting() {
        assertThatThrownBy(() -> HostSettings.from(Map.of("JOBS_HTTP_BIND", "example.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JOBS_HTTP_BIND").hasMessageContaining("IP address");
        assertThatThrownBy(() -> HostSettings.from(Map.of("JOBS_HTTP_BIND", "300.1.1.1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("JOBS_HTTP_BIND");
    }
}
