package io.durablejobs.core.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The port to a cron parser. The core does not parse cron itself: the adapter uses a maintained library,
 * so the edge cases (day-of-month with day-of-week, ranges, steps, daylight-saving gaps) are not ours to get wrong.
 */
public interface CronRules {

    /** @throws IllegalArgumentException with a message fit for a client when {@code expression} is not valid */
    Cron parse(String expression);

    /** A parsed expression. */
    interface Cron {

        /** The first tick strictly after {@code after}, in {@code zone}'s wall clock; empty when there is none. */
        Optional<Instant> next(Instant after, ZoneId zone);
    }
}
