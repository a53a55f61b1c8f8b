package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An environment's JVM must not outlive its host: end of stdin (the host is gone) halts it. */
class RuntimeLauncherTest {

    @Test
    void anEnvironmentJvm_haltsWhenItsHostGoesAway_evenWhileWaitingForAnEvent() throws Exception {
        try (RuntimeApiEndpoint api = new RuntimeApiEndpoint("launcher-test")) {
            String handler = "io.durablejobs.host.handlers.RunawayRabbitHandler::handleRequest";
            ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-cp", System.getProperty("java.class.path"), ProcessEnvironment.LAUNCHER, ProcessEnvironment.RIC_MAIN, handler))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("AWS_LAMBDA_RUNTIME_API", api.address());
            pb.environment().put("_HANDLER", handler);
            Process p = pb.start();
            try {
                // The runtime starts and long-polls for an event that never comes.
                assertThat(p.waitFor(3, TimeUnit.SECONDS)).as("the runtime waits for its next event").isFalse();
                p.getOutputStream().close(); // what the host's death does to the pipe
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the runtime halts when its host is gone").isTrue();
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
