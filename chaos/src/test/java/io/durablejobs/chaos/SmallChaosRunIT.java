package io.durablejobs.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The small chaos run inside ./dev test: a few hundred jobs, one fault of each kind (worker environment
 * SIGKILL, broker app restart, broker node SIGKILL, Redis restart with AOF and without persistence), on a
 * broker node and Redis of its own. Fails on any broken invariant; prints its report.
 */
class SmallChaosRunIT {

    @Test
    void everyAcceptedJob_endsOnce_underOneFaultOfEachKind() throws Exception {
        Assumptions.assumeTrue(BrokerNode.installed() && RedisServer.installed(),
                "rabbitmq-server, rabbitmqctl and redis-server are not installed: the chaos run needs its own broker node and Redis");
        ChaosSettings s = ChaosSettings.defaults(300)
                .with(8, 8, ChaosSettings.ONE_OF_EACH, 1, Path.of(System.getProperty("chaos.results", "target/chaos")), false)
                .withFunctionsFile(Path.of("../functions/functions.json"));
        ChaosReport report = ChaosRun.run(new ChaosSettings(s.jobs(), s.clients(), s.rate(), s.duplicateShare(), 0.02,
                s.unavailableShare(), s.faults(), s.workerConcurrency(), Duration.ofMinutes(3), s.results(), s.functionsFile(), false), 10);
        assertThat(report.failed()).as(report.summary()).isEmpty();
    }
}
