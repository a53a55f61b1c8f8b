package io.durablejobs.host;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's stand-in for an EventBridge schedule rule with a Lambda target: at every multiple of the
 * period (aligned to the clock) it invokes the function asynchronously with the event EventBridge sends,
 * {@code {"detail-type": "Scheduled Event", "source": "aws.events", "time": ..., "detail": {}}}. One
 * environment serves the rule; an invocation still running when the next one is due delays it (EventBridge
 * would start a second environment; the scheduler is safe either way). A failed invocation is logged
 * and not retried: the next period runs anyway, as with EventBridge's default retry policy on a function
 * that keeps failing.
 */
final class ScheduleRule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleRule.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FunctionRuntime function;
    private final Duration period;
    private final ScheduledExecutorService timer;
    private ExecutionEnvironment environment;

    ScheduleRule(FunctionRuntime function, Duration period) {
        this.function = function;
        this.period = period;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "schedule-" + function.spec().name());
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        long periodMs = period.toMillis();
        long now = System.currentTimeMillis();
        long firstDelay = periodMs - (now % periodMs);
        timer.scheduleAtFixedRate(this::fire, firstDelay, periodMs, TimeUnit.MILLISECONDS);
    }

    Duration period() {
        return period;
    }

    FunctionRuntime function() {
        return function;
    }

    private void fire() {
        try {
            if (environment == null || !environment.isAlive()) {
                environment = function.newEnvironment();
            }
            InvocationResult r = environment.invoke(event(Instant.now()));
            if (r instanceof InvocationResult.Failed f) {
                LOG.warn("scheduled invocation of {} failed: {}", function.spec().name(), f.error().toString());
            } else if (r instanceof InvocationResult.TimedOut t) {
                LOG.warn("scheduled invocation of {} timed out after {} ms", function.spec().name(), t.afterMillis());
            }
        } catch (RuntimeException e) {
            // The timer must outlive any one invocation.
            LOG.warn("scheduled invocation of {} could not run: {}", function.spec().name(), e.toString());
        }
    }

    private byte[] event(Instant at) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0");
        e.put("id", UUID.randomUUID().toString());
        e.put("detail-type", "Scheduled Event");
        e.put("source", "aws.events");
        e.put("account", "000000000000");
        e.put("time", at.truncatedTo(ChronoUnit.SECONDS).toString());
        e.put("region", "us-east-1");
        e.putArray("resources").add("arn:aws:events:us-east-1:000000000000:rule/" + function.spec().name());
        e.putObject("detail");
        try {
            return JSON.writeValueAsBytes(e);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (environment != null) {
            environment.close();
        }
    }
}
