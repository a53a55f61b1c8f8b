package io.durablejobs.core.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durablejobs.core.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * CloudWatch Embedded Metric Format: metrics collected in memory during an invocation and written at
 * {@link #flush()} as one JSON log line per dimension set (CloudWatch Logs turns them into metrics; no
 * PutMetricData call). Every line carries the {@code Namespace} dimension (the platform's
 * JOBS_NAMESPACE) so several stacks in one account stay apart. Limits of the format are kept: at most
 * 100 metrics per line and 100 values per metric (a longer series is split over lines).
 *
 * <p>With an interval, {@link #flush()} writes at most once per interval (counts of many invocations add
 * up into one line per dimension set, timings into one series) and {@link #flushNow()} writes whatever is
 * pending: a busy API function then writes a line a second, not a line per request. What an environment
 * holds when it is destroyed without a last flush (at most one interval's figures) is lost.
 */
public final class EmfMetrics implements Metrics {
    static final int MAX_METRICS_PER_LINE = 100;
    static final int MAX_VALUES_PER_METRIC = 100;

    private final String cloudWatchNamespace;
    private final String jobsNamespace;
    private final Consumer<String> out;
    private final Clock clock;
    private final Map<Map<String, String>, Map<String, Series>> pending = new LinkedHashMap<>();
    private final long intervalMillis;
    private long lastFlushMillis = Long.MIN_VALUE;

    private static final class Series {
        final String unit;
        final boolean sum;
        final List<Double> values = new ArrayList<>();

        Series(String unit, boolean sum) {
            this.unit = unit;
            this.sum = sum;
        }
    }

    public EmfMetrics(String cloudWatchNamespace, String jobsNamespace, Consumer<String> out, Clock clock) {
        this(cloudWatchNamespace, jobsNamespace, out, clock, Duration.ZERO);
    }

    public EmfMetrics(String cloudWatchNamespace, String jobsNamespace, Consumer<String> out, Clock clock, Duration interval) {
        this.intervalMillis = interval.toMillis();
        this.cloudWatchNamespace = cloudWatchNamespace;
        this.jobsNamespace = jobsNamespace;
        this.out = out;
        this.clock = clock;
    }

    @Override
    public void count(String name, double value, Map<String, String> dimensions) {
        add(name, value, "Count", true, dimensions);
    }

    @Override
    public void millis(String name, double millis, Map<String, String> dimensions) {
        add(name, millis, "Milliseconds", false, dimensions);
    }

    @Override
    public void gauge(String name, double value, String unit, Map<String, String> dimensions) {
        synchronized (pending) {
            Series s = series(name, unit, false, dimensions);
            s.values.clear();
            s.values.add(value);
        }
    }

    private void add(String name, double value, String unit, boolean sum, Map<String, String> dimensions) {
        synchronized (pending) {
            Series s = series(name, unit, sum, dimensions);
            if (sum && !s.values.isEmpty()) {
                s.values.set(0, s.values.get(0) + value);
            } else {
                s.values.add(value);
            }
        }
    }

    private Series series(String name, String unit, boolean sum, Map<String, String> dimensions) {
        Map<String, String> dims = new TreeMap<>(dimensions);
        dims.put(MetricNames.DIM_NAMESPACE, jobsNamespace);
        return pending.computeIfAbsent(dims, k -> new LinkedHashMap<>()).computeIfAbsent(name, k -> new Series(unit, sum));
    }

    @Override
    public void flush() {
        flush(false);
    }

    /** Writes everything pending whatever the interval (at the end of an environment's life). */
    public void flushNow() {
        flush(true);
    }

    private void flush(boolean force) {
        Map<Map<String, String>, Map<String, Series>> batch;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            long nowMillis = clock.millis();
            if (!force && intervalMillis > 0 && lastFlushMillis != Long.MIN_VALUE && nowMillis - lastFlushMillis < intervalMillis) {
                return;
            }
            lastFlushMillis = nowMillis;
            batch = new LinkedHashMap<>(pending);
            pending.clear();
        }
        long now = clock.millis();
        for (Map.Entry<Map<String, String>, Map<String, Series>> e : batch.entrySet()) {
            for (Map<String, List<Double>> chunk : chunks(e.getValue())) {
                out.accept(line(now, e.getKey(), chunk, e.getValue()));
            }
        }
    }

    /** Splits a dimension set's metrics into lines within the format's limits. */
    private static List<Map<String, List<Double>>> chunks(Map<String, Series> metrics) {
        List<Map<String, List<Double>>> lines = new ArrayList<>();
        Map<String, List<Double>> current = new LinkedHashMap<>();
        Map<String, Iterator<Double>> rest = new LinkedHashMap<>();
        metrics.forEach((name, s) -> rest.put(name, s.values.iterator()));
        while (!rest.isEmpty()) {
            for (Iterator<Map.Entry<String, Iterator<Double>>> it = rest.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Iterator<Double>> m = it.next();
                if (current.size() == MAX_METRICS_PER_LINE) {
                    lines.add(current);
                    current = new LinkedHashMap<>();
                }
                List<Double> values = new ArrayList<>();
                while (m.getValue().hasNext() && values.size() < MAX_VALUES_PER_METRIC) {
                    values.add(m.getValue().next());
                }
                if (!values.isEmpty()) {
                    current.put(m.getKey(), values);
                }
                if (!m.getValue().hasNext()) {
                    it.remove();
                }
            }
            if (!current.isEmpty()) {
                lines.add(current);
                current = new LinkedHashMap<>();
            }
        }
        return lines;
    }

    private String line(long now, Map<String, String> dims, Map<String, List<Double>> values, Map<String, Series> series) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", now);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", cloudWatchNamespace);
        ArrayNode dimSet = directive.putArray("Dimensions").addArray();
        dims.keySet().forEach(dimSet::add);
        ArrayNode defs = directive.putArray("Metrics");
        dims.forEach(root::put);
        values.forEach((name, v) -> {
            defs.addObject().put("Name", name).put("Unit", series.get(name).unit);
            if (v.size() == 1) {
                root.put(name, v.get(0));
            } else {
                ArrayNode arr = root.putArray(name);
                v.forEach(arr::add);
            }
        });
        return root.toString();
    }
}
