package io.durablejobs.adapters.metrics;

import io.durablejobs.adapters.redis.RedisSync;
import io.durablejobs.adapters.redis.RedisKeys;
import io.durablejobs.core.metrics.MetricNames;
import io.durablejobs.core.metrics.Metrics;
import io.durablejobs.core.metrics.MetricsPusher;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local host's metrics view: where metrics go when no AWS endpoint is configured (the local default).
 * One Redis hash per namespace, {@code <ns>:metrics-view}, field {@code <name>|<dim=value,...>}: counters
 * add up ({@code |sum}, and {@code |count} for timings), gauges keep their last value. Every function
 * process writes to it, whether it runs inside the host or not, and the dashboard reads it.
 */
public final class RedisMetricsView implements Metrics, MetricsPusher {
    private static final Logger LOG = LoggerFactory.getLogger(RedisMetricsView.class);
    private static final Duration TTL = Duration.ofDays(1);

    private final RedisSync redis;
    private final String key;
    private final Map<String, Double> sums = new HashMap<>();
    private final Map<String, Double> gauges = new HashMap<>();
    /** The dashboard may lag by this much; a request or batch does not pay a round trip for its metrics. */
    static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;
    private volatile long lastFlushNanos;

    public RedisMetricsView(RedisSync redis, String namespace) {
        this.redis = redis;
        this.key = new RedisKeys(namespace).metricsView();
    }

    /**
     * {@code <name>|<dim=value,...>}, dimensions in key order. A request counts one or two metrics with at
     * most one dimension, so those are written without sorting a copy of the map.
     */
    static String field(String name, Map<String, String> dims) {
        if (dims.isEmpty()) {
            return name + "|";
        }
        if (dims.size() == 1) {
            Map.Entry<String, String> e = dims.entrySet().iterator().next();
            return name + "|" + e.getKey() + "=" + e.getValue();
        }
        return name + "|" + new TreeMap<>(dims).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    @Override
    public synchronized void count(String name, double value, Map<String, String> dimensions) {
        sums.merge(field(name, dimensions) + "|sum", value, Double::sum);
    }

    @Override
    public synchronized void millis(String name, double millis, Map<String, String> dimensions) {
        sums.merge(field(name, dimensions) + "|sum", millis, Double::sum);
        sums.merge(field(name, dimensions) + "|count", 1.0, Double::sum);
    }

    @Override
    public synchronized void gauge(String name, double value, String unit, Map<String, String> dimensions) {
        gauges.put(field(name, dimensions) + "|last", value);
    }

    /** Writes the accumulated figures at most once a second (the last ones of a process may be lost on exit). */
    @Override
    public void flush() {
        long now = System.nanoTime();
        if (lastFlushNanos != 0 && now - lastFlushNanos < FLUSH_INTERVAL_NANOS) {
            return;
        }
        lastFlushNanos = now;
        flushNow();
    }

    private void flushNow() {
        Map<String, Double> s;
        Map<String, Double> g;
        synchronized (this) {
            s = new HashMap<>(sums);
            g = new HashMap<>(gauges);
            sums.clear();
            gauges.clear();
        }
        if (s.isEmpty() && g.isEmpty()) {
            return;
        }
        try {
            s.forEach((f, v) -> redis.hincrbyfloat(key, f, v));
            if (!g.isEmpty()) {
                Map<String, String> set = new HashMap<>();
                g.forEach((f, v) -> set.put(f, Double.toString(v)));
                redis.hset(key, set);
            }
            redis.pexpire(key, TTL.toMillis());
        } catch (RedisException e) {
            LOG.warn("metrics view not updated: {}", e.getMessage());
        }
    }

    /** DeadLetters adds up; the others (depth, age, mismatch) are gauges. */
    @Override
    public void push(List<Datum> data) {
        for (Datum d : data) {
            if (d.name().equals(MetricNames.DEAD_LETTERS)) {
                count(d.name(), d.value(), d.dimensions());
            } else {
                gauge(d.name(), d.value(), d.unit(), d.dimensions());
            }
        }
        flushNow();
    }

    /** Everything in the view: field to value. */
    public Map<String, Double> read() {
        Map<String, Double> out = new TreeMap<>();
        redis.hgetall(key).forEach((f, v) -> out.put(f, Double.parseDouble(v)));
        return out;
    }
}
