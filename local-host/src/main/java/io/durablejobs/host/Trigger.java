package io.durablejobs.host;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What invokes a function: API Gateway's routes, a RabbitMQ event-source mapping on one
 * queue, or an EventBridge schedule rule.
 */
public sealed interface Trigger permits Trigger.Http, Trigger.WorkQueue, Trigger.DeadQueue, Trigger.Schedule {

    /**
     * API Gateway HTTP API, payload format 2.0: the route keys ({@code "GET /v1/dlq/{jobId}"}) the function's
     * row lists, or none for the function that serves every route no other function lists.
     */
    record Http(List<String> routes) implements Trigger {
        public Http {
            routes = List.copyOf(routes);
        }

        public Http() {
            this(List.of());
        }
    }

    /**
     * The mappings on {@code <namespace>.<jobType>}: one, or one per shard ({@code "shards": N} in
     * functions.json; shard n is {@code <namespace>.<jobType>.<n>}), each with its own environments.
     */
    record WorkQueue(String jobType, int shards) implements Trigger {
        public WorkQueue(String jobType) {
            this(jobType, 1);
        }
    }

    /** The mapping on {@code <namespace>.dead}. */
    record DeadQueue() implements Trigger {
    }

    /**
     * An EventBridge rule with a {@code rate(N minute|minutes|hour|hours)} expression: the host invokes the
     * function with a scheduled event at every multiple of the period (aligned to the clock, as EventBridge
     * aligns rate rules to the minute).
     */
    record Schedule(String expression, Duration period) implements Trigger {
        public static Schedule parse(String expression) {
            Matcher m = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)")
                    .matcher(expression == null ? "" : expression.trim());
            if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
                throw new IllegalArgumentException("schedule expression must be rate(N minute[s]|hour[s]|day[s]), N >= 1; got " + expression
                        + " (cron(...) rules are not emulated by the local host)");
            }
            long n = Long.parseLong(m.group(1));
            Duration unit = m.group(2).startsWith("minute") ? Duration.ofMinutes(1)
                    : m.group(2).startsWith("hour") ? Duration.ofHours(1) : Duration.ofDays(1);
            return new Schedule(expression.trim(), unit.multipliedBy(n));
        }
    }
}
