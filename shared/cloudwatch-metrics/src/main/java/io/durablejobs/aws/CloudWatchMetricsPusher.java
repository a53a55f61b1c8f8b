package io.durablejobs.aws;

import io.durablejobs.core.metrics.MetricNames;
import io.durablejobs.core.metrics.MetricsPusher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * PutMetricData for the few metrics alarms must see within a minute (the DLQ consumer's DeadLetters,
 * DlqDepth, DlqOldestAgeSeconds, LedgerMismatch): namespace {@code JOBS_METRICS_NAMESPACE}
 * ({@code DurableJobs}), dimension {@code Namespace} = JOBS_NAMESPACE added to each datum. SDK 2.57
 * sends these as smithy-rpc-v2-cbor.
 */
public final class CloudWatchMetricsPusher implements MetricsPusher {
    /** PutMetricData takes at most 1000 data per call. */
    static final int MAX_PER_CALL = 1000;

    private final CloudWatchClient cloudWatch;
    private final String metricsNamespace;
    private final String jobsNamespace;

    public CloudWatchMetricsPusher(CloudWatchClient cloudWatch, String metricsNamespace, String jobsNamespace) {
        this.cloudWatch = cloudWatch;
        this.metricsNamespace = metricsNamespace;
        this.jobsNamespace = jobsNamespace;
    }

    @Override
    public void push(List<Datum> data) {
        if (data.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<MetricDatum> out = new ArrayList<>();
        for (Datum d : data) {
            Map<String, String> dims = new TreeMap<>(d.dimensions());
            dims.put(MetricNames.DIM_NAMESPACE, jobsNamespace);
            List<Dimension> dimensions = dims.entrySet().stream()
                    .map(e -> Dimension.builder().name(e.getKey()).value(e.getValue()).build()).toList();
            out.add(MetricDatum.builder().metricName(d.name()).value(d.value()).unit(StandardUnit.fromValue(d.unit()))
                    .timestamp(now).dimensions(dimensions).build());
        }
        for (int i = 0; i < out.size(); i += MAX_PER_CALL) {
            List<MetricDatum> chunk = out.subList(i, Math.min(out.size(), i + MAX_PER_CALL));
            cloudWatch.putMetricData(b -> b.namespace(metricsNamespace).metricData(chunk));
        }
    }

    @Override
    public void close() {
        cloudWatch.close();
    }
}
