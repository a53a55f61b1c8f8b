package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import io.durablejobs.adapters.amqp.AmqpConnections;
import io.durablejobs.core.job.JobEnvelope;
import io.durablejobs.core.job.JobIds;
import io.durablejobs.core.json.Json;
import io.durablejobs.core.port.OutboundMessage;
import io.durablejobs.core.work.JobMessages;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Completion events through the local host (submit and hello-worker of functions/functions.json) on the real
 * broker and Redis: a subscriber's queue bound to {@code <ns>.events} receives one persistent message per
 * final outcome, routing key {@code <type>.<status>}, and again when a redelivered message finds the job
 * finished (at least once).
 */
class CompletionEventsIT {
    static final String KEY = "key-events-acme-aaaaaaaaaa";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static LocalHost host;
    static Connection amqp;
    static Channel channel;
    static String subscriber;
    static final List<GetResponse> seen = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = ItSupport.hostEnv(ItSupport.namespace());
        env.put("JOBS_API_KEYS", "acme=" + KEY);
        host = LocalHost.start(HostOptions.of(env).withFunctionsFile(Path.of("../functions/functions.json"))
                .withFunctions("submit", "hello-worker").withHttpPort(0));
        amqp = AmqpConnections.open(ItSupport.rabbitUri(), "it-events");
        channel = amqp.createChannel();
        // What another system would do: its own queue, bound by pattern.
        subscriber = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(subscriber, host.topology().eventsExchange(), "example.hello.*");
        channel.queueBind(subscriber, host.topology().eventsExchange(), "no.such.dead_lettered");
    }

    @AfterAll
    static void stop() throws Exception {
        amqp.close();
        host.close();
        ItSupport.deleteTopology(host.topology());
    }

    static List<GetResponse> eventsOf(String jobId) throws Exception {
        GetResponse g;
        while ((g = channel.basicGet(subscriber, true)) != null) {
            seen.add(g);
        }
        return seen.stream().filter(e -> e.getProps().getMessageId().startsWith(jobId + ".")).toList();
    }

    @Test
    void succeededJob_publishesOnePersistentEvent_withTypeDotStatusRoutingKey_andAgainOnARedelivery() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(host.apiUrl().resolve("/v1/jobs")).header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"example.hello\",\"payload\":{\"name\":\"events\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode accepted = Json.MAPPER.readTree(r.body());
        String jobId = accepted.path("jobId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> eventsOf(jobId).size() == 1);
        GetResponse e = eventsOf(jobId).get(0);
        assertThat(e.getEnvelope().getRoutingKey()).isEqualTo("example.hello.succeeded");
        assertThat(e.getProps().getDeliveryMode()).isEqualTo(2);
        assertThat(e.getProps().getMessageId()).isEqualTo(jobId + ".succeeded");
        JsonNode body = Json.MAPPER.readTree(e.getBody());
        assertThat(body.path("jobId").asText()).isEqualTo(jobId);
        assertThat(body.path("tenant").asText()).isEqualTo("acme");
        assertThat(body.path("status").asText()).isEqualTo("succeeded");
        assertThat(body.path("attempts").asInt()).isEqualTo(1);
        assertThat(body.path("result").path("greeting").asText()).isEqualTo("Hello, events!");
        assertThat(body.path("createdAt").asText()).isEqualTo(accepted.path("createdAt").asText());
        assertThat(Instant.parse(body.path("finishedAt").asText())).isAfterOrEqualTo(Instant.parse(body.path("createdAt").asText()));

        // The same job's message once more (as after a batch that failed once the outcome was recorded): the
        // worker skips the finished job and publishes its event again.
        JobEnvelope same = new JobEnvelope(jobId, "acme", "example.hello", Json.MAPPER.createObjectNode().put("name", "events"), 4,
                Instant.parse(accepted.path("createdAt").asText()));
        publish(new JobMessages(host.topology()).initial(same, null));
        await().atMost(Duration.ofSeconds(60)).until(() -> eventsOf(jobId).size() == 2);
        assertThat(eventsOf(jobId)).allSatisfy(x -> assertThat(x.getProps().getMessageId()).isEqualTo(jobId + ".succeeded"));
    }

    @Test
    void deadLetteredJob_publishesItsEventWithTheError() throws Exception {
        String jobId = JobIds.newId(System.currentTimeMillis());
        JobEnvelope stray = new JobEnvelope(jobId, "acme", "no.such", Json.MAPPER.createObjectNode(), 4,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        OutboundMessage m = new JobMessages(host.topology()).initial(stray, null);
        // On the hello queue, whose worker has no handler for it: dead-lettered at once.
        publish(new OutboundMessage(m.exchange(), "example.hello", m.body(), m.headers(), m.messageId(), m.type(), m.priority()));
        await().atMost(Duration.ofSeconds(60)).until(() -> eventsOf(jobId).size() == 1);
        GetResponse e = eventsOf(jobId).get(0);
        assertThat(e.getEnvelope().getRoutingKey()).isEqualTo("no.such.dead_lettered");
        JsonNode body = Json.MAPPER.readTree(e.getBody());
        assertThat(body.path("status").asText()).isEqualTo("dead_lettered");
        assertThat(body.path("error").asText()).contains("no handler");
    }

    static void publish(OutboundMessage m) throws Exception {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                .messageId(m.messageId()).type(m.type()).headers(m.headers()).build();
        ItSupport.publish(host.topology(), m.routingKey(), props, m.body());
    }
}
