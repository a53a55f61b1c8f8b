package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import io.durablejobs.host.handlers.RawEventRecorder;
import io.durablejobs.host.handlers.RecordingRabbitHandler;
import io.durablejobs.host.handlers.SlowOnceRabbitHandler;
import io.durablejobs.host.handlers.ThrowOnceRabbitHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RabbitMqEventSourceMappingIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();
    private static LocalHost host;

    @BeforeAll
    static void start() throws Exception {
        host = LocalHost.start(ItSupport.options(ItSupport.namespace(), "recorder", "raw", "flaky", "slow")
                // The test handlers record into this JVM, so their environments must be threads of it.
                .withEnv("JOBS_HOST_ISOLATION", "thread"));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
            ItSupport.deleteTopology(host.topology());
        }
    }

    private static byte[][] bodies(int n, String prefix) {
        return IntStream.range(0, n).mapToObj(i -> (prefix + i).getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    private static List<RabbitMQEvent.RabbitMessage> messages(RabbitMQEvent e) {
        return e.getRmqMessagesByQueue().values().iterator().next();
    }

    private static String data(RabbitMQEvent.RabbitMessage m) {
        return new String(Base64.getDecoder().decode(m.getData()), StandardCharsets.UTF_8);
    }

    @Test
    void messages_arriveInBatchesUpToBatchSize() throws Exception {
        RecordingRabbitHandler.EVENTS.clear();
        ItSupport.publish(host.topology(), "test.record", PERSISTENT, bodies(25, "b"));

        await().atMost(Duration.ofSeconds(15)).until(() -> RecordingRabbitHandler.EVENTS.stream().mapToInt(e -> messages(e).size()).sum() == 25);
        List<Integer> sizes = RecordingRabbitHandler.EVENTS.stream().map(e -> messages(e).size()).toList();
        assertThat(sizes).allMatch(s -> s <= 10);
        assertThat(sizes.stream().filter(s -> s == 10).count()).isGreaterThanOrEqualTo(2);
        assertThat(RecordingRabbitHandler.EVENTS.getFirst().getRmqMessagesByQueue()).containsOnlyKeys(host.namespace() + ".test.record::/");
        assertThat(RecordingRabbitHandler.NAME_AT_INIT.get()).isEqualTo("recorder");
        await().atMost(Duration.ofSeconds(5)).until(() -> ItSupport.ready(host.topology(), host.namespace() + ".test.record") == 0);
    }

    @Test
    void batchingWindow_flushesAPartialBatch() throws Exception {
        RecordingRabbitHandler.EVENTS.clear();
        long start = System.nanoTime();
        ItSupport.publish(host.topology(), "test.record", PERSISTENT, bodies(3, "w"));

        await().atMost(Duration.ofSeconds(10)).until(() -> !RecordingRabbitHandler.EVENTS.isEmpty());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(RecordingRabbitHandler.EVENTS).hasSize(1);
        assertThat(messages(RecordingRabbitHandler.EVENTS.getFirst())).extracting(RabbitMqEventSourceMappingIT::data)
                .containsExactly("w0", "w1", "w2");
        assertThat(tookMs).as("waited for the 1000 ms window").isGreaterThanOrEqualTo(900);
    }

    @Test
    void eventJson_forARealDelivery_hasTheSampleShape_andRoundTrips() throws Exception {
        RawEventRecorder.EVENTS.clear();
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        headers.put("x-jobs-attempt", 3);
        headers.put("utf8", "héllo");
        headers.put("flag", false);
        headers.put("nested", Map.of("k", "v"));
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).priority(5)
                .messageId("job-1").type("test.raw").timestamp(new Date(1_700_000_000_000L)).expiration("60000").headers(headers).build();
        ItSupport.publish(host.topology(), "test.raw", props, "{\"p\":1}".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(10)).until(() -> !RawEventRecorder.EVENTS.isEmpty());
        byte[] raw = RawEventRecorder.EVENTS.getFirst();
        JsonNode ours = JSON.readTree(raw);
        JsonNode sample = JSON.readTree(RabbitMqSampleEventTest.sample());
        String key = host.namespace() + ".test.raw::/";
        JsonNode m = ours.get("rmqMessagesByQueue").get(key).get(0);
        JsonNode s = sample.get("rmqMessagesByQueue").get("pizzaQueue::/").get(0);
        assertThat(names(ours)).isEqualTo(names(sample));
        assertThat(names(m)).isEqualTo(names(s));
        assertThat(names(m.get("basicProperties"))).isEqualTo(names(s.get("basicProperties")));
        assertThat(ours.get("eventSource").asText()).isEqualTo("aws:rmq");
        assertThat(m.at("/basicProperties/headers/x-jobs-attempt").isInt()).isTrue();
        assertThat(m.at("/basicProperties/headers/traceparent/bytes").isArray()).isTrue();
        assertThat(m.at("/basicProperties/headers/nested/k/bytes/0").asInt()).isEqualTo('v');
        assertThat(m.at("/basicProperties/expiration").isTextual()).isTrue();
        assertThat(m.at("/basicProperties/timestamp").asText()).isEqualTo("Nov 14, 2023, 10:13:20 PM");
        assertThat(m.at("/basicProperties/correlationId").isNull()).isTrue();

        RabbitMQEvent e = RuntimeSerializers.forClass(RabbitMQEvent.class).fromJson(new String(raw, StandardCharsets.UTF_8));
        RabbitMQEvent.RabbitMessage msg = e.getRmqMessagesByQueue().get(key).get(0);
        RabbitMQEvent.BasicProperties p = msg.getBasicProperties();
        assertThat(data(msg)).isEqualTo("{\"p\":1}");
        assertThat(msg.getRedelivered()).isFalse();
        assertThat(p.getContentType()).isEqualTo("application/json");
        assertThat(p.getDeliveryMode()).isEqualTo(2);
        assertThat(p.getPriority()).isEqualTo(5);
        assertThat(p.getMessageId()).isEqualTo("job-1");
        assertThat(p.getType()).isEqualTo("test.raw");
        assertThat(p.getExpiration()).isEqualTo(60000);
        assertThat(p.getBodySize()).isEqualTo(7);
        assertThat(RabbitMqSampleEventTest.bytesHeader(p.getHeaders().get("traceparent")))
                .isEqualTo("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        assertThat(RabbitMqSampleEventTest.bytesHeader(p.getHeaders().get("utf8"))).isEqualTo("héllo");
        assertThat(p.getHeaders().get("x-jobs-attempt")).isEqualTo(3);
        assertThat(p.getHeaders().get("flag")).isEqualTo(false);
    }

    @Test
    void handlerThatThrows_getsItsWholeBatchBack_redelivered() throws Exception {
        ThrowOnceRabbitHandler.EVENTS.clear();
        ItSupport.publish(host.topology(), "test.flaky", PERSISTENT, bodies(3, "f"));

        await().atMost(Duration.ofSeconds(15)).until(() -> ThrowOnceRabbitHandler.EVENTS.size() >= 2);
        List<RabbitMQEvent> events = new ArrayList<>(ThrowOnceRabbitHandler.EVENTS);
        assertThat(messages(events.get(0))).extracting(RabbitMqEventSourceMappingIT::data).containsExactly("f0", "f1", "f2");
        assertThat(messages(events.get(0))).noneMatch(RabbitMQEvent.RabbitMessage::getRedelivered);
        assertThat(messages(events.get(1))).extracting(RabbitMqEventSourceMappingIT::data).containsExactlyInAnyOrder("f0", "f1", "f2");
        assertThat(messages(events.get(1))).allMatch(RabbitMQEvent.RabbitMessage::getRedelivered);
        await().atMost(Duration.ofSeconds(5)).until(() -> ItSupport.ready(host.topology(), host.namespace() + ".test.flaky") == 0);
        Thread.sleep(500);
        assertThat(ThrowOnceRabbitHandler.EVENTS).hasSize(2);
    }

    @Test
    void timeout_destroysTheEnvironment_andTheBatchComesBackToAFreshInstance() throws Exception {
        int constructed = SlowOnceRabbitHandler.CONSTRUCTED.get();
        ItSupport.publish(host.topology(), "test.slow", PERSISTENT, "s".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(15)).until(() -> SlowOnceRabbitHandler.EVENTS.size() >= 2);
        assertThat(SlowOnceRabbitHandler.INTERRUPTED).isTrue();
        assertThat(SlowOnceRabbitHandler.CONSTRUCTED.get() - constructed).isEqualTo(2);
        assertThat(messages(SlowOnceRabbitHandler.EVENTS.getLast()).get(0).getRedelivered()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> ItSupport.ready(host.topology(), host.namespace() + ".test.slow") == 0);
    }

    private static List<String> names(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
