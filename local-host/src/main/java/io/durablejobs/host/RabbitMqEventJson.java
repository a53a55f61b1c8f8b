package io.durablejobs.host;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import java.util.Base64;
import java.util.List;

/**
 * The event JSON Lambda's RabbitMQ event-source mapping sends (see shared/events/rabbitmq-event.json):
 * {@code {"eventSource":"aws:rmq","eventSourceArn":...,"rmqMessagesByQueue":{"<queue>::<vhost>":[...]}}},
 * every basic property present (null when absent), {@code expiration} and {@code timestamp} as strings,
 * headers per {@link AmqpValueJson}, the body base64 in {@code data}.
 */
final class RabbitMqEventJson {
    static final String EVENT_SOURCE_ARN = "arn:aws:mq:" + HostContext.REGION + ":" + HostContext.ACCOUNT + ":broker:local:b-local";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RabbitMqEventJson() {
    }

    static ObjectNode event(String queue, String vhost, List<ObjectNode> messages) {
        ObjectNode e = F.objectNode();
        e.put("eventSource", "aws:rmq");
        e.put("eventSourceArn", EVENT_SOURCE_ARN);
        e.putObject("rmqMessagesByQueue").putArray(queue + "::" + vhost).addAll(messages);
        return e;
    }

    static ObjectNode message(PendingDelivery d) {
        AMQP.BasicProperties p = d.properties();
        ObjectNode props = F.objectNode();
        props.put("contentType", p.getContentType());
        props.put("contentEncoding", p.getContentEncoding());
        props.set("headers", AmqpValueJson.table(p.getHeaders()));
        props.put("deliveryMode", p.getDeliveryMode());
        props.put("priority", p.getPriority());
        props.put("correlationId", p.getCorrelationId());
        props.put("replyTo", p.getReplyTo());
        props.put("expiration", p.getExpiration());
        props.put("messageId", p.getMessageId());
        props.put("timestamp", p.getTimestamp() == null ? null : AwsDates.format(p.getTimestamp()));
        props.put("type", p.getType());
        props.put("userId", p.getUserId());
        props.put("appId", p.getAppId());
        props.put("clusterId", p.getClusterId());
        props.put("bodySize", d.body().length);
        ObjectNode m = F.objectNode();
        m.set("basicProperties", props);
        m.put("redelivered", d.envelope().isRedeliver());
        m.put("data", Base64.getEncoder().encodeToString(d.body()));
        return m;
    }
}
