package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import io.durablejobs.host.handlers.RunawayRabbitHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lambda ends a timed-out sandbox with everything it runs; with the host's default isolation a queue
 * function's timed-out environment must stop just as completely, threads it started included.
 */
class TimedOutEnvironmentIT {
    @TempDir
    Path dir;

    @Test
    void aTimedOutQueueEnvironment_leavesNoProcessOrThreadRunning_byDefault() throws Exception {
        HostOptions options = ItSupport.options(ItSupport.namespace(), "busy").withEnv("TEST_RECORD_DIR", dir.toString());
        assertThat(options.env()).doesNotContainKey("JOBS_HOST_ISOLATION");
        try (LocalHost host = LocalHost.start(options)) {
            try {
                ItSupport.publish(host.topology(), "test.busy", new AMQP.BasicProperties(), "spin".getBytes(StandardCharsets.UTF_8));
                Path runaway = dir.resolve("runaway");
                await().atMost(Duration.ofSeconds(40)).until(() -> Files.exists(runaway) && !Files.readString(runaway).isBlank());
                long pid = Long.parseLong(Files.readAllLines(runaway).get(0).trim());
                assertThat(pid).as("the environment is a JVM of its own").isNotEqualTo(ProcessHandle.current().pid());

                // The 2 s timeout ends the environment: its JVM, and with it the threads it started, are gone.
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
                assertThat(runawayThreadsInThisJvm()).isEmpty();
                assertThat(ProcessHandle.current().descendants().filter(p -> p.pid() == pid).toList()).isEmpty();
            } finally {
                ItSupport.deleteTopology(host.topology());
            }
        }
    }

    private static List<Thread> runawayThreadsInThisJvm() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(RunawayRabbitHandler.THREAD_NAME) && t.isAlive()).toList();
    }
}
