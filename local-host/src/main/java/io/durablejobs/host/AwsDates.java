package io.durablejobs.host;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Date;
import java.util.Locale;

/**
 * Dates as the RabbitMQ event-source mapping writes them ({@code "Jan 1, 1970, 12:33:41 AM"}, UTC): the
 * default {@code DateFormat} of Gson, which the mapping evidently serializes amqp-client's objects with.
 * A fixed pattern keeps the plain space before AM/PM on JDKs whose locale data uses a narrow one.
 */
final class AwsDates {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);

    private AwsDates() {
    }

    static String format(Date date) {
        return FORMAT.format(date.toInstant());
    }
}
