package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.impl.LongStringHelper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RabbitMqEventJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static PendingDelivery delivery(boolean redelivered) {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("inner", LongStringHelper.asLongString("x"));
        nested.put("n", 7L);
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("ascii", LongStringHelper.asLongString("value1"));
        headers.put("utf8", LongStringHelper.asLongString("é"));
        headers.put("int", 10);
        headers.put("long", 5_000_000_000L);
        headers.put("double", 1.5d);
        headers.put("bool", true);
        headers.put("table", nested);
        headers.put("list", List.of(1, LongStringHelper.asLongString("a")));
        headers.put("when", new Date(2021_000L));
        headers.put("void", null);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).priority(4).messageId("m-1").correlationId("c-1")
                .expiration("60000").timestamp(new Date(2021_000L)).type("test.record").appId("it").headers(headers).build();
        return new PendingDelivery(0, new Envelope(7, redelivered, "ex", "rk"), props, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void message_hasTheSampleShape_withEveryPropertyPresent() throws Exception {
        ObjectNode event = RabbitMqEventJson.event("ns.test.record", "/", List.of(RabbitMqEventJson.message(delivery(false))));
        JsonNode sample = JSON.readTree(RabbitMqSampleEventTest.sample());

        assertThat(fieldNames(event)).isEqualTo(fieldNames(sample));
        JsonNode ours = event.get("rmqMessagesByQueue").get("ns.test.record::/").get(0);
        JsonNode theirs = sample.get("rmqMessagesByQueue").get("pizzaQueue::/").get(0);
        assertThat(fieldNames(ours)).isEqualTo(fieldNames(theirs));
        assertThat(fieldNames(ours.get("basicProperties"))).isEqualTo(fieldNames(theirs.get("basicProperties")));
        assertThat(ours.get("basicProperties").get("clusterId").isNull()).isTrue();
        assertThat(ours.get("basicProperties").get("expiration").isTextual()).isTrue();
        assertThat(ours.get("basicProperties").get("timestamp").asText()).isEqualTo("Jan 1, 1970, 12:33:41 AM");
    }

    @Test
    void headers_renderAsTheMappingDoes_bytesSignedNumbersNestedTables() {
        JsonNode h = RabbitMqEventJson.message(delivery(false)).get("basicProperties").get("headers");

        assertThat(h.get("ascii").toString()).isEqualTo("{\"bytes\":[118,97,108,117,101,49]}");
        assertThat(h.get("utf8").toString()).isEqualTo("{\"bytes\":[-61,-87]}");
        assertThat(h.get("int").isInt()).isTrue();
        assertThat(h.get("long").asLong()).isEqualTo(5_000_000_000L);
        assertThat(h.get("double").asDouble()).isEqualTo(1.5d);
        assertThat(h.get("bool").asBoolean()).isTrue();
        assertThat(h.get("table").toString()).isEqualTo("{\"inner\":{\"bytes\":[120]},\"n\":7}");
        assertThat(h.get("list").toString()).isEqualTo("[1,{\"bytes\":[97]}]");
        assertThat(h.get("when").asText()).isEqualTo("Jan 1, 1970, 12:33:41 AM");
        assertThat(h.get("void").isNull()).isTrue();
    }

    @Test
    void builtEvent_roundTripsThroughTheRuntimeSerializer() throws Exception {
        byte[] json = JSON.writeValueAsBytes(RabbitMqEventJson.event("ns.q", "/", List.of(RabbitMqEventJson.message(delivery(true)))));
        RabbitMQEvent e = RuntimeSerializers.forClass(RabbitMQEvent.class).fromJson(new String(json, StandardCharsets.UTF_8));

        assertThat(e.getEventSourceArn()).isEqualTo(RabbitMqEventJson.EVENT_SOURCE_ARN);
        RabbitMQEvent.RabbitMessage m = e.getRmqMessagesByQueue().get("ns.q::/").get(0);
        assertThat(m.getRedelivered()).isTrue();
        assertThat(new String(Base64.getDecoder().decode(m.getData()), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        RabbitMQEvent.BasicProperties p = m.getBasicProperties();
        assertThat(p.getContentType()).isEqualTo("application/json");
        assertThat(p.getDeliveryMode()).isEqualTo(2);
        assertThat(p.getPriority()).isEqualTo(4);
        assertThat(p.getMessageId()).isEqualTo("m-1");
        assertThat(p.getCorrelationId()).isEqualTo("c-1");
        assertThat(p.getExpiration()).isEqualTo(60000);
        assertThat(p.getType()).isEqualTo("test.record");
        assertThat(p.getAppId()).isEqualTo("it");
        assertThat(p.getBodySize()).isEqualTo(7);
        assertThat(RabbitMqSampleEventTest.bytesHeader(p.getHeaders().get("ascii"))).isEqualTo("value1");
        assertThat(RabbitMqSampleEventTest.bytesHeader(p.getHeaders().get("utf8"))).isEqualTo("é");
        assertThat(p.getHeaders().get("int")).isEqualTo(10);
        assertThat(((Number) p.getHeaders().get("long")).longValue()).isEqualTo(5_000_000_000L);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
