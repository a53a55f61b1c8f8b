package io.durablejobs.lambda;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import io.durablejobs.core.metrics.MetricNames;
import io.durablejobs.core.metrics.Metrics;
import io.durablejobs.core.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the messages of a batch waited in their work queue: now minus the AMQP {@code timestamp} the
 * publisher set, minus the retry tier's delay when the message came back from a tier (the tier queue
 * dead-letters it with its headers and timestamp intact, so that delay was planned, not queueing). The
 * worker emits the batch's maximum as {@code QueueAgeSeconds} (dimension Type) in its EMF line.
 *
 * <p>Measured where messages are received because the broker cannot say it cheaply: Amazon MQ publishes
 * no per-queue metrics for RabbitMQ 4, quorum queues report no head-message timestamp, and peeking at the
 * head (basic.get, then a requeue) would count as a delivery toward the quorum queue's delivery limit.
 *
 * <p>The event-source mapping hands the timestamp over as text, in seconds, e.g.
 * {@code "Jan 1, 1970, 12:33:41 AM"} (UTC); epoch seconds or milliseconds and ISO-8601 are read too. A
 * message without a readable timestamp adds nothing.
 */
public final class QueueAge {
    private static final List<DateTimeFormatter> FORMATS = List.of(
            DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US),
            DateTimeFormatter.ofPattern("MMM d, yyyy h:mm:ss a", Locale.US));
    private static final Pattern TIER = Pattern.compile("(\\d+)(ms|s|m|h)");

    private QueueAge() {
    }

    /** Emits the batch's longest wait, if any message carried a readable timestamp. */
    public static void emit(RabbitMQEvent event, String jobType, Metrics metrics, Instant now) {
        OptionalDouble age = maxSeconds(event, now);
        if (age.isPresent()) {
            metrics.gauge(MetricNames.QUEUE_AGE, age.getAsDouble(), "Seconds", Map.of(MetricNames.DIM_TYPE, jobType));
        }
    }

    static OptionalDouble maxSeconds(RabbitMQEvent event, Instant now) {
        if (event == null || event.getRmqMessagesByQueue() == null) {
            return OptionalDouble.empty();
        }
        double max = -1;
        // A batch's timestamps have a resolution of a second, so most messages repeat the one before: parsed once.
        String lastText = null;
        Instant lastPublished = null;
        for (List<RabbitMQEvent.RabbitMessage> messages : event.getRmqMessagesByQueue().values()) {
            for (RabbitMQEvent.RabbitMessage m : messages) {
                RabbitMQEvent.BasicProperties p = m.getBasicProperties();
                String text = p == null ? null : p.getTimestamp();
                Instant published;
                if (text != null && text.equals(lastText)) {
                    published = lastPublished;
                } else {
                    published = parse(text);
                    lastText = text;
                    lastPublished = published;
                }
                if (published == null) {
                    continue;
                }
                double unplanned = Math.max(0, Duration.between(published, now).toMillis() / 1000.0);
                if (unplanned <= max) {
                    continue; // a tier's planned delay only shortens it: it cannot be the longest wait
                }
                Duration planned = tierDelay(RabbitMqEventDecoder.headers(p.getHeaders()).get(Topology.TIER_HEADER));
                double waited = Math.max(0, Duration.between(published, now).minus(planned).toMillis() / 1000.0);
                max = Math.max(max, waited);
            }
        }
        return max < 0 ? OptionalDouble.empty() : OptionalDouble.of(max);
    }

    static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        // Newer JDKs put a narrow no-break space before AM/PM.
        String t = text.trim().replace('\u202f', ' ').replace('\u00a0', ' ');
        if (t.chars().allMatch(Character::isDigit)) {
            long n = Long.parseLong(t);
            return n > 100_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
        }
        for (DateTimeFormatter f : FORMATS) {
            try {
                return LocalDateTime.parse(t, f).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // next format
            }
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The retry tier label (RetryTiers.label: 250ms, 30s, 2m, 1h) as a duration; zero for none or unreadable. */
    static Duration tierDelay(Object label) {
        if (label == null) {
            return Duration.ZERO;
        }
        Matcher m = TIER.matcher(label.toString().trim());
        if (!m.matches()) {
            return Duration.ZERO;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
