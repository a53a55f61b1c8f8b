package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.rabbitmq.client.AMQP;
import io.durablejobs.host.handlers.RecordingRabbitHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The mapping survives a broker restart ({@code rabbitmqctl stop_app; start_app}, about 11 s): its consumer
 * comes back and the next message is delivered. It stops the shared broker for everyone on the machine,
 * so it runs only when asked: {@code JOBS_IT_BROKER_RESTART=true} (and needs {@code rabbitmqctl}).
 */
@Tag("broker-restart")
@EnabledIfEnvironmentVariable(named = "JOBS_IT_BROKER_RESTART", matches = "true")
class BrokerRestartIT {
    private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();

    @Test
    void mapping_consumesAgain_afterTheBrokerRestarts() throws Exception {
        int constructed = RecordingRabbitHandler.CONSTRUCTED.get();
        LocalHost host = LocalHost.start(ItSupport.options(ItSupport.namespace(), "recorder")
                // The test handlers record into this JVM, so their environments must be threads of it.
                .withEnv("JOBS_HOST_ISOLATION", "thread"));
        try {
            RecordingRabbitHandler.EVENTS.clear();
            ItSupport.publish(host.topology(), "test.record", PERSISTENT, "before".getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(10)).until(() -> received("before"));

            rabbitmqctl("stop_app");
            rabbitmqctl("start_app");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                ItSupport.publish(host.topology(), "test.record", PERSISTENT, "after".getBytes(StandardCharsets.UTF_8));
                return true;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> received("after"));
            assertThat(RecordingRabbitHandler.CONSTRUCTED.get() - constructed).as("the environment survives; only the connection recovers").isEqualTo(1);
        } finally {
            host.close();
            ItSupport.deleteTopology(host.topology());
        }
    }

    private static boolean received(String body) {
        return RecordingRabbitHandler.EVENTS.stream().flatMap(e -> e.getRmqMessagesByQueue().values().stream())
                .flatMap(java.util.List::stream).map(RabbitMQEvent.RabbitMessage::getData)
                .anyMatch(d -> new String(Base64.getDecoder().decode(d), StandardCharsets.UTF_8).equals(body));
    }

    private static void rabbitmqctl(String command) throws Exception {
        Process p = new ProcessBuilder("rabbitmqctl", command).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("rabbitmqctl " + command).isZero();
    }
}
