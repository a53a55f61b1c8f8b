package io.durablejobs.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.durablejobs.core.work.IncomingMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AWS's own sample event, read with the serializer the managed Java runtime uses for RabbitMQEvent. */
class RabbitMqEventDecoderTest {

    static RabbitMQEvent sample() throws Exception {
        try (InputStream in = RabbitMqEventDecoderTest.class.getResourceAsStream("/events/rabbitmq/aws-sample.json")) {
            return JacksonFactory.getInstance().getSerializer(RabbitMQEvent.class).fromJson(in);
        }
    }

    @Test
    void awsSampleEvent_decodesBodyHeadersAndQueue() throws Exception {
        RabbitMQEvent event = sample();
        assertThat(event.getEventSource()).isEqualTo("aws:rmq");
        List<IncomingMessage> messages = RabbitMqEventDecoder.decode(event);
        assertThat(messages).hasSize(1);
        IncomingMessage m = messages.get(0);
        assertThat(m.queue()).isEqualTo("pizzaQueue");
        assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("{\"timeout\":0,\"data\":\"CZrmf0Gw8Ov4bqLQxD4E\"}");
        assertThat(m.header("header1")).isEqualTo("value1");
        assertThat(m.header("header2")).isEqualTo("value2");
        assertThat(m.intHeader("numberInHeader", -1)).isEqualTo(10);
        assertThat(m.redelivered()).isFalse();
    }

    @Test
    void awsSampleEvent_stringPropertiesSurviveTheRuntimeSerializer() throws Exception {
        RabbitMQEvent.BasicProperties p = sample().getRmqMessagesByQueue().get("pizzaQueue::/").get(0).getBasicProperties();
        assertThat(p.getExpiration()).isEqualTo(60000);
        assertThat(p.getTimestamp()).isEqualTo("Jan 1, 1970, 12:33:41 AM");
        assertThat(p.getUserId()).isEqualTo("AIDACKCEVSQ6C2EXAMPLE");
    }

    @Test
    void bytesAbove127_decodeWhetherSentSignedOrUnsigned() {
        var signed = java.util.Map.<String, Object>of("h", java.util.Map.of("bytes", List.of(-61, -87)));
        var unsigned = java.util.Map.<String, Object>of("h", java.util.Map.of("bytes", List.of(195, 169)));
        assertThat(RabbitMqEventDecoder.headers(signed).get("h")).isEqualTo("é");
        assertThat(RabbitMqEventDecoder.headers(unsigned).get("h")).isEqualTo("é");
    }

    @Test
    void queueKey_dropsTheVhost() {
        assertThat(RabbitMqEventDecoder.queueName("jobs.webhook.deliver::/")).isEqualTo("jobs.webhook.deliver");
        assertThat(RabbitMqEventDecoder.queueName("q::vh::x")).isEqualTo("q::vh");
    }
}
