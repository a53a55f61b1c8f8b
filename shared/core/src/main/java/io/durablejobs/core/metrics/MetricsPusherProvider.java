package io.durablejobs.core.metrics;

import java.util.Map;

/**
 * Builds one kind of {@link MetricsPusher} from the environment; registered in
 * {@code META-INF/services/io.durablejobs.core.metrics.MetricsPusherProvider} by an adapter module, so that
 * only the functions that push metrics carry that module's client.
 */
public interface MetricsPusherProvider {

    /** The value of {@code JOBS_METRICS_PUSH} this provider answers to. */
    String kind();

    /** @throws io.durablejobs.core.config.ConfigException naming every missing or bad setting */
    MetricsPusher open(Map<String, String> env, String metricsNamespace, String jobsNamespace);
}
