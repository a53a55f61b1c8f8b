package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.durablejobs.core.config.ConfigException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan is where a host refuses to start: every problem at once, before a connection or a port is opened. */
class HostPlanTest {
    private static HostOptions options(Map<String, String> env) {
        return HostOptions.of(env).withFunctionTable(TestTables.functions()).withFunctions("api");
    }

    @Test
    void badPlatformAndHostSettings_areReportedTogether_withoutJavaNames() {
        assertThatThrownBy(() -> HostPlan.of(options(Map.of("JOBS_API_KEYS", "short", "JOBS_QUEUE_TYPE", "quorom",
                "JOBS_HOST_API_CONCURRENCY", "0"))))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("JOBS_API_KEYS=<redacted>:"))
                        .anySatisfy(p -> assertThat(p).isEqualTo("JOBS_QUEUE_TYPE=quorom: must be quorum or classic"))
                        .anySatisfy(p -> assertThat(p).startsWith("JOBS_HOST_API_CONCURRENCY=0:"))
                        .noneSatisfy(p -> assertThat(p).contains("QUOROM")));
    }

    @Test
    void anUnknownFunction_isAProblem_namingTheKnownOnes() {
        assertThatThrownBy(() -> HostPlan.of(options(Map.of()).withFunctions("nope")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p).contains("nope").contains("api")));
    }

    @Test
    void anHttpPortInUse_isNamedWithItsSetting_beforeAnythingIsDeclared() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> HostPlan.of(options(Map.of("JOBS_HTTP_PORT", Integer.toString(port)))))
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                            .satisfies(p -> assertThat(p).contains("port " + port).contains("in use").contains("JOBS_HTTP_PORT")));
        }
    }

    @Test
    void aGoodPlan_hasTheSelectedFunctions_andGeneratedDevSecrets() throws Exception {
        HostPlan plan = HostPlan.of(options(Map.of("JOBS_HTTP_PORT", "0", "JOBS_NAMESPACE", "plan-test")));
        assertThat(plan.table().names()).containsExactly("api");
        assertThat(plan.httpAddress().getPort()).isZero();
        assertThat(plan.secrets().apiKeyGenerated()).isTrue();
        assertThat(plan.env()).containsKey("JOBS_WEBHOOK_SIGNING_SECRET");
        assertThat(plan.topology().namespace()).isEqualTo("plan-test");
    }
}
