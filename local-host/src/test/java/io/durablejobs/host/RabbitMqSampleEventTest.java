package io.durablejobs.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RabbitMqSampleEventTest {

    static byte[] sample() throws Exception {
        try (InputStream in = RabbitMqSampleEventTest.class.getResourceAsStream("/events/rabbitmq/sample.json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void awsSample_parsesWithTheRuntimeSerializer_includingBytesHeaders() throws Exception {
        RabbitMQEvent e = RuntimeSerializers.forClass(RabbitMQEvent.class).fromJson(new String(sample(), StandardCharsets.UTF_8));

        assertThat(e.getEventSource()).isEqualTo("aws:rmq");
        assertThat(e.getEventSourceArn()).startsWith("arn:aws:mq:us-west-2:");
        assertThat(e.getRmqMessagesByQueue()).containsOnlyKeys("pizzaQueue::/");
        RabbitMQEvent.RabbitMessage m = e.getRmqMessagesByQueue().get("pizzaQueue::/").get(0);
        RabbitMQEvent.BasicProperties p = m.getBasicProperties();
        assertThat(p.getContentType()).isEqualTo("text/plain");
        assertThat(p.getContentEncoding()).isNull();
        assertThat(p.getDeliveryMode()).isEqualTo(1);
        assertThat(p.getPriority()).isEqualTo(34);
        assertThat(p.getExpiration()).isEqualTo(60000);
        assertThat(p.getTimestamp()).isEqualTo("Jan 1, 1970, 12:33:41 AM");
        assertThat(p.getUserId()).isEqualTo("AIDACKCEVSQ6C2EXAMPLE");
        assertThat(p.getBodySize()).isEqualTo(80);
        Map<String, Object> headers = p.getHeaders();
        assertThat(headers.get("numberInHeader")).isEqualTo(10);
        assertThat(bytesHeader(headers.get("header1"))).isEqualTo("value1");
        assertThat(bytesHeader(headers.get("header2"))).isEqualTo("value2");
        assertThat(m.getRedelivered()).isFalse();
        assertThat(new String(Base64.getDecoder().decode(m.getData()), StandardCharsets.UTF_8)).startsWith("{\"timeout\":0");
    }

    /** How a consumer decodes {@code {"bytes": [...]}}: masking makes signed and unsigned renderings equal. */
    static String bytesHeader(Object value) {
        List<?> list = (List<?>) ((Map<?, ?>) value).get("bytes");
        byte[] b = new byte[list.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (((Number) list.get(i)).intValue() & 0xFF);
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
